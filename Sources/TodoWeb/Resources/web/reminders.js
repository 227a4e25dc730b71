// Reminders from the live events: a system notification when the user allowed them, else a banner in the page.
import { $, h, formatDue } from "./dom.js";

const supported = () => "Notification" in window;

/** Shows the "Enable notifications" button while the browser could still ask for permission. */
export function setUpReminders() {
  const button = $("#enable-notifications");
  const update = () => { button.hidden = !supported() || Notification.permission !== "default"; };
  button.addEventListener("click", async () => {
    try { await Notification.requestPermission(); } catch { /* an older browser without the promise form */ }
    update();
  });
  update();
}

/** A `reminder` event: {task, reminder_at, late}. */
export function showReminder({ task, reminder_at: at, late }) {
  if (!task) return;
  const when = task.due_at ? `Due ${formatDue(task.due_at)}` : `Reminder for ${formatDue(at)}`;
  const detail = late ? `${when} (this reminder is late)` : when;
  if (supported() && Notification.permission === "granted") {
    try {
      new Notification(`Reminder: ${task.title}`, { body: detail, tag: `task-${task.id}` });
      return;
    } catch { /* some browsers only notify from a service worker: fall back to the banner */ }
  }
  banner(task, detail);
}

function banner(task, detail) {
  const region = $("#reminders");
  region.querySelector(`[data-task-id="${task.id}"]`)?.remove();
  const note = h("div", { class: "reminder-banner", role: "alert", "data-task-id": task.id },
    h("div", { class: "reminder-text" }, h("strong", {}, `Reminder: ${task.title}`), h("span", { class: "muted" }, detail)),
    h("button", { type: "button", class: "icon quiet", "aria-label": `Dismiss the reminder for “${task.title}”`, onclick: () => note.remove() }, "✕"));
  region.append(note);
}

export function clearReminders() {
  $("#reminders").replaceChildren();
}
