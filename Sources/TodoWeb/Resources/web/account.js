// The account dialog: name, email (changed by a link to the new address), password, the sessions a user can end,
// and deleting the account. Every change goes through Better Auth's routes.
import { call } from "./api.js";
import { $, h } from "./dom.js";
import { resendVerification } from "./recovery.js";

let current = null;
let onSignedOut = () => {};

function status(form, message, problem = false) {
  const line = $(".status", form);
  line.textContent = message;
  line.classList.toggle("error", problem);
}

const tooMany = (error) => (error.status === 429 ? "Too many attempts. Wait a minute and try again." : error.message);

/** The signed-in user changed (a new name, a verified email): everything that shows them follows. */
export function showUser(user) {
  current = user;
  $("#user-email").textContent = user.email;
  $("#unverified-banner").hidden = user.emailVerified !== false;
  $("#account-current-email").textContent = user.email;
  const badge = $("#account-verified");
  badge.textContent = user.emailVerified ? "verified" : "not verified";
  badge.classList.toggle("warn", !user.emailVerified);
}

function describe(session) {
  const agent = session.userAgent || "Unknown device";
  const browser = /Firefox\//.test(agent) ? "Firefox" : /Edg\//.test(agent) ? "Edge" : /Chrom(e|ium)\//.test(agent) ? "Chrome"
    : /Safari\//.test(agent) ? "Safari" : /curl|python|Go-http/i.test(agent) ? "Script" : agent.slice(0, 40);
  const since = new Date(session.createdAt).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  return `${browser}${session.ipAddress ? " · " + session.ipAddress : ""} · since ${since}`;
}

async function loadSessions() {
  const list = $("#session-list");
  const line = $("#sessions-status");
  try {
    const [sessions, mine] = await Promise.all([call("GET", "/api/auth/list-sessions"), call("GET", "/api/auth/get-session")]);
    const token = mine?.session?.token;
    list.replaceChildren(...sessions.map((session) => h("li", {},
      h("span", {}, describe(session)),
      session.token === token
        ? h("span", { class: "badge" }, "this device")
        : h("button", { type: "button", class: "small", onclick: () => revoke(session.token) }, "Sign out"),
    )));
    line.textContent = "";
  } catch (error) {
    line.textContent = error.message;
  }
}

async function revoke(token) {
  try {
    await call("POST", "/api/auth/revoke-session", { token });
    $("#sessions-status").textContent = "Signed out there.";
  } catch (error) {
    $("#sessions-status").textContent = error.message;
  }
  await loadSessions();
}

async function saveName(event) {
  event.preventDefault();
  const name = String(new FormData(event.target).get("name") || "").trim();
  if (!name) { status(event.target, "Enter a name.", true); return; }
  try {
    await call("POST", "/api/auth/update-user", { name });
    current = { ...current, name };
    status(event.target, "Saved.");
  } catch (error) {
    status(event.target, error.message, true);
  }
}

async function changeEmail(event) {
  event.preventDefault();
  const newEmail = String(new FormData(event.target).get("email") || "").trim();
  if (!newEmail) { status(event.target, "Enter the new email.", true); return; }
  try {
    await call("POST", "/api/auth/change-email", { newEmail, callbackURL: "/?email-changed=1" });
    event.target.reset();
    status(event.target, `If ${newEmail} can be used, a confirmation link is on its way there. Your email changes when you open it.`);
  } catch (error) {
    status(event.target, error.code === "EMAIL_IS_THE_SAME" ? "That is already your email." : tooMany(error), true);
  }
}

async function changePassword(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const newPassword = String(form.get("password") || "");
  if (newPassword.length < 8) { status(event.target, "The new password needs at least 8 characters.", true); return; }
  try {
    await call("POST", "/api/auth/change-password", {
      currentPassword: String(form.get("current") || ""), newPassword, revokeOtherSessions: form.get("revoke") === "on",
    });
    event.target.reset();
    status(event.target, "Password changed.");
    await loadSessions();
  } catch (error) {
    status(event.target, error.code === "INVALID_PASSWORD" ? "The current password is wrong." : tooMany(error), true);
  }
}

async function deleteAccount(event) {
  event.preventDefault();
  const password = String(new FormData(event.target).get("password") || "");
  if (!password) { status(event.target, "Enter your password to delete the account.", true); return; }
  if (!window.confirm("Delete your account with every task and conversation? This cannot be undone.")) return;
  try {
    await call("POST", "/api/auth/delete-user", { password });
    $("#account-dialog").close();
    onSignedOut("Your account is deleted.");
  } catch (error) {
    status(event.target, error.code === "INVALID_PASSWORD" ? "The password is wrong." : tooMany(error), true);
  }
}

function open() {
  const dialog = $("#account-dialog");
  for (const form of dialog.querySelectorAll("form")) { form.reset(); status(form, ""); }
  $("#account-name input[name=name]").value = current?.name ?? "";
  dialog.showModal();
  loadSessions();
}

/** `signedOut(message)` returns to the sign-in screen after the account is gone. */
export function setUpAccount(signedOut) {
  onSignedOut = signedOut;
  $("#open-account").addEventListener("click", open);
  $("#close-account").addEventListener("click", () => $("#account-dialog").close());
  $("#account-name").addEventListener("submit", saveName);
  $("#account-email").addEventListener("submit", changeEmail);
  $("#account-password").addEventListener("submit", changePassword);
  $("#account-delete").addEventListener("submit", deleteAccount);
  $("#revoke-others").addEventListener("click", async () => {
    try {
      await call("POST", "/api/auth/revoke-other-sessions");
      $("#sessions-status").textContent = "Signed out everywhere else.";
    } catch (error) {
      $("#sessions-status").textContent = error.message;
    }
    await loadSessions();
  });
  $("#banner-resend").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const { ok, message } = await resendVerification(current?.email ?? "");
    button.textContent = message;
    button.disabled = ok;
  });
}
