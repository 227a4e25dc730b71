// Editing one task in place: every field in a small form; saving sends only what changed.
import { h, toLocalInput, fromLocalInput, showError } from "./dom.js";

const field = (label, control, extra = {}) => h("label", { class: "field", ...extra }, h("span", {}, label), control);

function select(name, value, options) {
  return h("select", { name }, ...options.map(([optionValue, label]) =>
    h("option", { value: optionValue, selected: optionValue === value }, label)));
}

/** How the task's reminder is set: "none", "at" (a time) or "before" (minutes before due). */
function reminderMode(task) {
  if (task.remind_at) return "at";
  if (task.remind_before_minutes) return "before";
  return "none";
}

/** The editor form for `task`; `save(changes)` gets the changed fields as a PATCH body, `cancel()` closes it. */
export function taskEditor(task, { save, cancel }) {
  const title = h("input", { name: "title", class: "task-edit", value: task.title, maxlength: 200, required: true, autocomplete: "off" });
  const description = h("textarea", { name: "description", rows: 2, maxlength: 1000 }, task.description || "");
  const due = h("input", { name: "due", type: "datetime-local", value: toLocalInput(task.due_at) });
  const priority = select("priority", task.priority, [["low", "Low"], ["medium", "Medium"], ["high", "High"]]);
  const tags = h("input", { name: "tags", value: (task.tags || []).join(", "), autocomplete: "off", "aria-describedby": `tags-hint-${task.id}` });
  const recurrence = select("recurrence", task.recurrence ?? "", [["", "Never"], ["daily", "Daily"], ["weekly", "Weekly"], ["monthly", "Monthly"]]);
  const mode = select("reminder", reminderMode(task), [["none", "None"], ["at", "At a time"], ["before", "Before due"]]);
  const remindAt = h("input", { name: "remind_at", type: "datetime-local", value: toLocalInput(task.remind_at) });
  const before = h("input", { name: "remind_before", type: "number", min: 1, max: 40320, step: 1, inputmode: "numeric", value: task.remind_before_minutes ?? 30 });
  const atField = field("Remind at", remindAt, { class: "field wide" });
  const beforeField = field("Minutes before due", before);
  const error = h("p", { class: "error", role: "alert", hidden: true });
  const showMode = () => {
    atField.hidden = mode.value !== "at";
    beforeField.hidden = mode.value !== "before";
  };
  mode.addEventListener("change", showMode);
  showMode();

  const form = h("form", { class: "task-editor", "aria-label": `Edit “${task.title}”`, novalidate: true },
    field("Title", title, { class: "field wide" }),
    field("Notes", description, { class: "field wide" }),
    field("Due", due, { class: "field wide" }),
    field("Priority", priority),
    field("Repeat", recurrence),
    field("Tags", tags, { class: "field wide" }),
    h("p", { class: "hint wide", id: `tags-hint-${task.id}` }, "Separate tags with commas."),
    field("Reminder", mode),
    beforeField, atField,
    error,
    h("div", { class: "editor-actions wide" },
      h("button", { type: "submit", class: "primary" }, "Save"),
      h("button", { type: "button", onclick: cancel }, "Cancel")),
  );
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); cancel(); }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const result = changes(task, {
      title: title.value, description: description.value, due: due.value, priority: priority.value, tags: tags.value,
      recurrence: recurrence.value, mode: mode.value, remindAt: remindAt.value, before: before.value,
    });
    if (result.error) { showError(error, result.error); return; }
    showError(error, "");
    save(result.changes);
  });
  return form;
}

const sameTime = (a, b) => (a ? new Date(a).getTime() : null) === (b ? new Date(b).getTime() : null);
const sameList = (a, b) => a.length === b.length && a.every((value, index) => value === b[index]);

/** The PATCH body for what differs from `task`, or an error to show. */
function changes(task, values) {
  const body = {};
  const title = values.title.trim();
  if (!title) return { error: "The title cannot be empty." };
  if (title !== task.title) body.title = title;
  if (values.description.trim() !== (task.description || "")) body.description = values.description.trim();
  const dueAt = fromLocalInput(values.due);
  if (!sameTime(dueAt, task.due_at)) body.due_at = dueAt;
  if (values.priority !== task.priority) body.priority = values.priority;
  const tags = [...new Set(values.tags.split(",").map((tag) => tag.trim().replace(/^#/, "")).filter(Boolean))];
  if (tags.length > 10) return { error: "A task takes at most 10 tags." };
  if (tags.some((tag) => tag.length > 32)) return { error: "A tag is at most 32 characters." };
  if (!sameList(tags, task.tags || [])) body.tags = tags;
  const recurrence = values.recurrence || null;
  if (recurrence !== (task.recurrence ?? null)) body.recurrence = recurrence;
  if (values.mode === "none") {
    if (task.remind_at || task.remind_before_minutes) { body.remind_at = null; body.remind_before_minutes = null; }
  } else if (values.mode === "at") {
    const remindAt = fromLocalInput(values.remindAt);
    if (!remindAt) return { error: "Choose when to be reminded." };
    if (!sameTime(remindAt, task.remind_at)) body.remind_at = remindAt;
  } else {
    const minutes = Number(values.before);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 40320) return { error: "Minutes before due must be a whole number from 1 to 40320." };
    if (!dueAt) return { error: "A reminder before the due date needs a due date." };
    if (minutes !== task.remind_before_minutes) body.remind_before_minutes = minutes;
  }
  return { changes: body };
}
