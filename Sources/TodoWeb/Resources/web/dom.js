// Small DOM helpers. Text always goes in as text nodes, never as HTML.

/** Creates an element: h("button", {class: "x", onclick: f}, "Label", child). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else if (value === true) element.setAttribute(key, "");
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Shows a message in an alert element, or hides it when the message is empty. */
export function showError(element, message) {
  element.textContent = message || "";
  element.hidden = !message;
}

/** "today 09:00", "tomorrow 09:00", "Fri 4 Dec 09:00", "4 Dec 2027". */
export function formatDue(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const now = new Date();
  const day = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(date) - day(now)) / 86400000);
  const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days === -1) return `yesterday ${time}`;
  const sameYear = date.getFullYear() === now.getFullYear();
  return date.toLocaleDateString([], { weekday: "short", day: "numeric", month: "short", year: sameYear ? undefined : "numeric" }) + ` ${time}`;
}

export function isOverdue(task) {
  return !task.completed && task.due_at && new Date(task.due_at).getTime() < Date.now();
}

/** Calls `work` once calls have paused for `ms` milliseconds. */
export function debounce(work, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => work(...args), ms);
  };
}

const pad = (n) => String(n).padStart(2, "0");

/** An ISO timestamp as the value of an <input type=datetime-local> in the browser's zone ("2025-03-04T09:30"). */
export function toLocalInput(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The value of an <input type=datetime-local> (the browser's zone) as an ISO timestamp in UTC, or null when empty. */
export function fromLocalInput(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Midnight at the start of the day `days` after today, in the browser's zone. */
export function dayStart(days = 0) {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
}

/** Midnight at the start of next Monday, in the browser's zone: the end of this week. */
export function endOfWeek() {
  const daysToMonday = (8 - new Date().getDay()) % 7 || 7;
  return dayStart(daysToMonday);
}
