// A short-lived note at the bottom of the screen, read out by screen readers, optionally with one action (Undo).
import { $, h } from "./dom.js";

const lifetime = 8000;
let timer = null;

/** Shows `message`; with `action` ({label, run}) a button runs it once and closes the note. Replaces any earlier note. */
export function showToast(message, action = null) {
  const region = $("#toasts");
  const close = () => { clearTimeout(timer); region.replaceChildren(); };
  const buttons = [];
  if (action) {
    buttons.push(h("button", { type: "button", class: "toast-action", onclick: () => { close(); action.run(); } }, action.label));
  }
  buttons.push(h("button", { type: "button", class: "icon quiet", "aria-label": "Dismiss", onclick: close }, "✕"));
  const note = h("div", { class: "toast" }, h("span", { class: "toast-text" }, message), ...buttons);
  // A note keeps still while someone is on it with the keyboard or the pointer.
  const hold = () => clearTimeout(timer);
  const release = () => { clearTimeout(timer); timer = setTimeout(close, lifetime); };
  note.addEventListener("focusin", hold);
  note.addEventListener("focusout", release);
  note.addEventListener("pointerenter", hold);
  note.addEventListener("pointerleave", release);
  region.replaceChildren(note);
  release();
}
