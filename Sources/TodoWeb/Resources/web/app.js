// The app: the account screen, then conversations, chat and tasks side by side, kept current by live events.
import { call } from "./api.js";
import { $, showError } from "./dom.js";
import { setUpChat, resetChat } from "./chat.js";
import { loadConversations, resetConversations, applyConversationEvent } from "./conversations.js";
import { setUpTasks, refreshTasks, resetTasks, applyTaskEvent } from "./tasks.js";
import { openEvents, closeEvents } from "./events.js";
import { setUpReminders, showReminder, clearReminders } from "./reminders.js";

let mode = "sign-in";

function showAuth() {
  closeEvents();
  $("#main-view").hidden = true;
  $("#auth-view").hidden = false;
  $("#auth-form").reset();
  showError($("#auth-error"), "");
  $("#auth-form input[name=email]").focus();
}

async function showMain(user) {
  $("#auth-view").hidden = true;
  $("#main-view").hidden = false;
  $("#user-email").textContent = user.email;
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

async function signOut() {
  closeEvents();
  await call("POST", "/api/auth/sign-out").catch(() => {});
  resetChat();
  resetConversations();
  resetTasks();
  clearReminders();
  showAuth();
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
  showError($("#auth-error"), "");
}

/** Better Auth's refusal codes in words for the form; anything else shows the server's own message. */
const authMessages = {
  INVALID_EMAIL: "Enter a valid email address, such as ada@example.com.",
  PASSWORD_TOO_SHORT: "The password needs at least 8 characters.",
  PASSWORD_TOO_LONG: "The password may have at most 128 characters.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "An account with this email already exists. Sign in instead.",
  INVALID_EMAIL_OR_PASSWORD: "Invalid email or password.",
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
    const result = mode === "sign-up"
      ? await call("POST", "/api/auth/sign-up/email", { name, email, password })
      : await call("POST", "/api/auth/sign-in/email", { email, password });
    await showMain(result.user);
  } catch (error) {
    showError($("#auth-error"), authMessages[error.code] ?? error.message);
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
  $("#sign-out").addEventListener("click", signOut);
  $("#toggle-conversations").addEventListener("click", (event) => toggle("show-conversations", event.currentTarget));
  $("#toggle-tasks").addEventListener("click", (event) => toggle("show-tasks", event.currentTarget));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") document.body.classList.remove("show-conversations", "show-tasks");
  });
  setUpChat();
  setUpTasks();
  setUpReminders();
  try {
    const session = await call("GET", "/api/auth/get-session");
    if (session?.user) await showMain(session.user);
    else showAuth();
  } catch {
    showAuth();
  }
}

start();
