// The app: the account screen, then conversations, chat and tasks side by side, kept current by live events.
import { call } from "./api.js";
import { $, showError } from "./dom.js";
import { setUpChat, resetChat } from "./chat.js";
import { loadConversations, resetConversations, applyConversationEvent } from "./conversations.js";
import { setUpTasks, refreshTasks, resetTasks, applyTaskEvent } from "./tasks.js";
import { openEvents, closeEvents } from "./events.js";
import { setUpReminders, showReminder, clearReminders } from "./reminders.js";
import { setUpRecovery, showScreen, showNotice, showVerifyNotice, readLanding, showResetForm } from "./recovery.js";
import { setUpAccount, showUser } from "./account.js";
import { showToast } from "./toast.js";

let mode = "sign-in";

function showAuth() {
  closeEvents();
  $("#main-view").hidden = true;
  $("#auth-view").hidden = false;
  $("#auth-form").reset();
  showError($("#auth-error"), "");
  showScreen("auth-form");
}

async function showMain(user) {
  $("#auth-view").hidden = true;
  $("#main-view").hidden = false;
  showNotice("");
  showUser(user);
  listen();
  await Promise.all([loadConversations(true), refreshTasks(), showAgent()]);
  $("#composer-input").focus();
}

/** Live changes from other tabs, devices and the assistant, and reminders. */
function listen() {
  const task = (type) => (data) => applyTaskEvent(type, data.task);
  const conversation = (type) => (data) => applyConversationEvent(type, data);
  openEvents({
    "task.created": task("task.created"), "task.updated": task("task.updated"),
    "task.completed": task("task.completed"), "task.deleted": task("task.deleted"),
    "task.restored": task("task.restored"),
    "conversation.created": conversation("conversation.created"), "conversation.updated": conversation("conversation.updated"),
    "conversation.deleted": conversation("conversation.deleted"),
    reminder: (data) => { showReminder(data); applyTaskEvent("task.updated", data.task); },
    resync: () => { refreshTasks(); loadConversations(false).catch(() => {}); },
  });
}

/** Back to the sign-in screen; `message` says why when the session is already gone (a deleted account). */
async function signOut(message) {
  closeEvents();
  if (typeof message !== "string") await call("POST", "/api/auth/sign-out").catch(() => {});
  resetChat();
  resetConversations();
  resetTasks();
  clearReminders();
  showAuth();
  showNotice(typeof message === "string" ? message : "");
}

async function showAgent() {
  const badge = $("#agent-badge");
  try {
    const health = await call("GET", "/api/health?deep=1");
    const agent = health.api?.agent ?? "unknown";
    badge.textContent = agent === "offline" ? "Offline agent" : "Model: " + agent.replace(/^openai:/, "");
    badge.classList.toggle("offline", agent === "offline");
  } catch {
    badge.textContent = "API unreachable";
  }
}

function setMode(next) {
  mode = next;
  const signUp = mode === "sign-up";
  $("#tab-sign-in").setAttribute("aria-selected", String(!signUp));
  $("#tab-sign-up").setAttribute("aria-selected", String(signUp));
  $("#name-field").hidden = !signUp;
  $("#auth-submit").textContent = signUp ? "Create account" : "Sign in";
  $("#auth-form input[name=password]").autocomplete = signUp ? "new-password" : "current-password";
  $("#remember-field").hidden = signUp;
  $("#forgot-link").hidden = signUp;
  showError($("#auth-error"), "");
}

/** Better Auth's refusal codes in words for the form; anything else shows the server's own message. */
const authMessages = {
  INVALID_EMAIL: "Enter a valid email address, such as ada@example.com.",
  PASSWORD_TOO_SHORT: "The password needs at least 8 characters.",
  PASSWORD_TOO_LONG: "The password may have at most 128 characters.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "An account with this email already exists. Sign in instead.",
  INVALID_EMAIL_OR_PASSWORD: "Invalid email or password.",
  TOO_MANY_REQUESTS: "Too many attempts. Wait a minute and try again.",
};

async function submitAuth(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const email = String(form.get("email") || "").trim();
  const password = String(form.get("password") || "");
  const name = String(form.get("name") || "").trim() || email.split("@")[0];
  if (!email || !password) { showError($("#auth-error"), "Enter your email and password."); return; }
  if (mode === "sign-up" && password.length < 8) { showError($("#auth-error"), "The password needs at least 8 characters."); return; }
  $("#auth-submit").disabled = true;
  try {
    const rememberMe = form.get("remember") === "on";
    const result = mode === "sign-up"
      ? await call("POST", "/api/auth/sign-up/email", { name, email, password, callbackURL: "/?verified=1" })
      : await call("POST", "/api/auth/sign-in/email", { email, password, rememberMe, callbackURL: "/?verified=1" });
    // No token: the server waits for the email to be verified before it starts a session.
    if (!result.token) showVerifyNotice(email);
    else await showMain(result.user);
  } catch (error) {
    if (error.code === "EMAIL_NOT_VERIFIED") showVerifyNotice(email);
    else showError($("#auth-error"), authMessages[error.code] ?? error.message);
  } finally {
    $("#auth-submit").disabled = false;
  }
}

function toggle(panel, button) {
  const open = !document.body.classList.contains(panel);
  document.body.classList.remove("show-conversations", "show-tasks");
  document.body.classList.toggle(panel, open);
  for (const other of document.querySelectorAll(".topbar [aria-controls]")) other.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-expanded", String(open));
}

async function start() {
  $("#tab-sign-in").addEventListener("click", () => setMode("sign-in"));
  $("#tab-sign-up").addEventListener("click", () => setMode("sign-up"));
  $("#auth-form").addEventListener("submit", submitAuth);
  // Every way back to the form lands on sign-in, email kept, password cleared.
  for (const back of document.querySelectorAll(".back-to-sign-in")) {
    back.addEventListener("click", () => { setMode("sign-in"); $("#auth-form input[name=password]").value = ""; });
  }
  $("#sign-out").addEventListener("click", signOut);
  $("#toggle-conversations").addEventListener("click", (event) => toggle("show-conversations", event.currentTarget));
  $("#toggle-tasks").addEventListener("click", (event) => toggle("show-tasks", event.currentTarget));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") document.body.classList.remove("show-conversations", "show-tasks");
  });
  setUpChat();
  setUpTasks();
  setUpReminders();
  setUpRecovery();
  setUpAccount(signOut);
  const landing = readLanding();
  try {
    const session = landing.reset ? null : await call("GET", "/api/auth/get-session");
    if (session?.user) {
      await showMain(session.user);
      if (landing.message) showToast(landing.message);
    } else {
      showAuth();
    }
  } catch {
    showAuth();
  }
  if (landing.reset) showResetForm();
}

start();
