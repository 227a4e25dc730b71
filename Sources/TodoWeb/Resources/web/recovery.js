// The account card's other screens: forgot password, the reset page a reset link opens, the "check your inbox"
// notice while an email waits for verification, and what a followed link says when it lands back here.
import { call } from "./api.js";
import { $, showError } from "./dom.js";

const screens = ["#auth-tabs", "#auth-form", "#forgot-form", "#reset-form", "#verify-notice"];
let resetToken = null;
let pendingEmail = "";

/** Shows one screen of the account card (the tabs go with the sign-in form). */
export function showScreen(name) {
  for (const selector of screens) $(selector).hidden = true;
  if (name === "auth-form") $("#auth-tabs").hidden = false;
  $("#" + name).hidden = false;
  $(`#${name} input`)?.focus();
}

/** A line above the forms: good news as a notice, a problem as an error. */
export function showNotice(message, problem = false) {
  const notice = $("#auth-notice");
  notice.textContent = message || "";
  notice.hidden = !message;
  notice.classList.toggle("problem", problem);
}

/** "Check your inbox" for an account whose email is not verified yet. */
export function showVerifyNotice(email) {
  pendingEmail = email;
  $("#verify-email").textContent = email;
  showError($("#verify-error"), "");
  showScreen("verify-notice");
  $("#verify-resend").focus();
}

const linkProblems = {
  INVALID_TOKEN: "This link is not valid any more (it was used, or a newer one was sent). Ask for a new one.",
  TOKEN_EXPIRED: "This link has expired. Ask for a new one.",
  USER_NOT_FOUND: "This link belongs to an address the account no longer uses.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "Another account took that email in the meantime; your email stays as it was.",
};

/**
 * Reads what a followed email link left in the address (the reset page's token, `verified`, `email-changed` or an
 * `error`), then takes it out of the address bar and history so the token does not linger. Returns whether the
 * reset page is to be shown, and what to tell the user (shown as a notice here, or by the caller once signed in).
 */
export function readLanding() {
  const url = new URL(window.location.href);
  const params = url.searchParams;
  let landing = { reset: false, message: "", problem: false };
  if (url.pathname === "/reset-password") {
    if (params.get("token")) {
      resetToken = params.get("token");
      landing.reset = true;
    } else {
      landing = { reset: false, message: linkProblems[params.get("error")] ?? linkProblems.INVALID_TOKEN, problem: true };
    }
  } else if (params.get("verified")) {
    landing.message = "Your email is verified.";
  } else if (params.get("email-changed")) {
    landing.message = "Your new email is confirmed.";
  } else if (params.get("error")) {
    landing = { reset: false, message: linkProblems[params.get("error")] ?? "That link did not work.", problem: true };
  }
  if (url.pathname !== "/" || url.search) window.history.replaceState(null, "", "/");
  showNotice(landing.message, landing.problem);
  return landing;
}

export function showResetForm() {
  $("#reset-form").reset();
  showError($("#reset-error"), "");
  showScreen("reset-form");
}

async function submitForgot(event) {
  event.preventDefault();
  const email = String(new FormData(event.target).get("email") || "").trim();
  if (!email) { showError($("#forgot-error"), "Enter your email."); return; }
  $("#forgot-submit").disabled = true;
  try {
    await call("POST", "/api/auth/request-password-reset", { email, redirectTo: "/reset-password" });
    showNotice(`If ${email} has an account, a reset link is on its way. It works once, for one hour.`);
    showScreen("auth-form");
  } catch (error) {
    showError($("#forgot-error"), error.status === 429 ? "Too many requests. Wait a minute and try again." : error.message);
  } finally {
    $("#forgot-submit").disabled = false;
  }
}

async function submitReset(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const password = String(form.get("password") || "");
  if (password.length < 8) { showError($("#reset-error"), "The password needs at least 8 characters."); return; }
  if (password !== String(form.get("repeat") || "")) { showError($("#reset-error"), "The two passwords differ."); return; }
  $("#reset-submit").disabled = true;
  try {
    await call("POST", "/api/auth/reset-password", { token: resetToken, newPassword: password });
    resetToken = null;
    showNotice("Your password is changed. Sign in with it; every other device was signed out.");
    showScreen("auth-form");
  } catch (error) {
    if (error.code === "INVALID_TOKEN") {
      showNotice(linkProblems.INVALID_TOKEN, true);
      showScreen("forgot-form");
    } else {
      showError($("#reset-error"), error.message);
    }
  } finally {
    $("#reset-submit").disabled = false;
  }
}

/** Sends the verification link again; resolves with what to tell the user and whether it went well. */
export async function resendVerification(email) {
  try {
    await call("POST", "/api/auth/send-verification-email", { email, callbackURL: "/?verified=1" });
    return { ok: true, message: "A new link is on its way." };
  } catch (error) {
    if (error.code === "EMAIL_ALREADY_VERIFIED") return { ok: true, message: "Your email is already verified." };
    return { ok: false, message: error.status === 429 ? "Too many requests. Wait a minute and try again." : error.message };
  }
}

export function setUpRecovery() {
  $("#forgot-link").addEventListener("click", () => {
    $("#forgot-form input[name=email]").value = $("#auth-form input[name=email]").value;
    showError($("#forgot-error"), "");
    showNotice("");
    showScreen("forgot-form");
  });
  for (const back of document.querySelectorAll(".back-to-sign-in")) back.addEventListener("click", () => showScreen("auth-form"));
  $("#forgot-form").addEventListener("submit", submitForgot);
  $("#reset-form").addEventListener("submit", submitReset);
  $("#verify-resend").addEventListener("click", async () => {
    const { ok, message } = await resendVerification(pendingEmail);
    if (ok) showNotice(message);
    else showError($("#verify-error"), message);
  });
}
