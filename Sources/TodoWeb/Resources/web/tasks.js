// The task panel: the signed-in user's tasks as the filters ask for them, edited in place, with undo after a
// delete or a completion, and kept current by the chat's tool calls and by live events.
import { call } from "./api.js";
import { $, h, showError, formatDue, isOverdue, debounce } from "./dom.js";
import { setUpFilters, taskQuery, isFiltered, rememberTags } from "./taskFilters.js";
import { taskEditor } from "./taskEditor.js";
import { setCompleted, undoComplete, deleteTask, restoreTask, completedTasks, deleteAll } from "./taskActions.js";
import { showToast } from "./toast.js";

let editing = null;
let generation = 0;
/** Each drawn row's task as JSON, so a row whose task did not change is kept as it is. */
const drawn = new WeakMap();
const later = debounce(() => refreshTasks(), 300);

export function setUpTasks() {
  setUpFilters(() => refreshTasks());
  $("#task-add").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("#task-add-input");
    const title = input.value.trim();
    if (!title) return;
    await act(async () => {
      await call("POST", "/api/tasks", { title });
      input.value = "";
    });
  });
  $("#clear-completed").addEventListener("click", confirmClear);
}

/** Runs a change, shows its error in the panel, then reloads the list. */
async function act(work) {
  showError($("#task-error"), "");
  try {
    await work();
  } catch (error) {
    showError($("#task-error"), error.message);
  }
  await refreshTasks();
}

export async function refreshTasks() {
  const mine = ++generation;
  let tasks;
  try {
    tasks = (await call("GET", `/api/tasks?${taskQuery()}`)).tasks;
  } catch (error) {
    if (mine === generation) showError($("#task-error"), error.message);
    return;
  }
  if (mine !== generation) return;
  render(tasks);
}

/** Forgets the panel's state when the user signs out. */
export function resetTasks() {
  editing = null;
  generation += 1;
  $("#task-list").replaceChildren();
  $("#task-tag-options").replaceChildren();
  $("#clear-confirm").replaceChildren();
  $("#clear-confirm").hidden = true;
}

/**
 * Shows `tasks` in order. Rows whose task did not change are kept, the row being edited too (with what was typed),
 * and keyboard focus stays on the same control of the same task when its row is redrawn or moved.
 */
function render(tasks) {
  const list = $("#task-list");
  const active = document.activeElement;
  const focusID = active?.closest?.("#task-list [data-task-id]")?.dataset.taskId;
  const focusKey = active?.dataset?.key;
  const existing = new Map([...list.children].map((node) => [node.dataset.taskId, node]));
  if (editing !== null && !tasks.some((task) => task.id === editing)) editing = null;
  const rows = tasks.map((task) => {
    const node = existing.get(String(task.id));
    if (node && task.id === editing && node.classList.contains("editing")) return node;
    if (node && task.id !== editing && shows(node, task)) return node;
    return row(task);
  });
  for (const child of [...list.children]) if (!rows.includes(child)) child.remove();
  rows.forEach((node, index) => { if (list.children[index] !== node) list.insertBefore(node, list.children[index] ?? null); });
  rememberTags(tasks);
  const empty = $("#task-empty");
  empty.textContent = isFiltered() ? "No tasks match." : "No tasks here.";
  empty.hidden = tasks.length > 0;
  if (focusID && focusKey && document.activeElement !== active) {
    list.querySelector(`[data-task-id="${focusID}"] [data-key="${focusKey}"]`)?.focus();
  }
}

/** Whether a drawn row still shows `task` as it is, its checkbox included. */
function shows(node, task) {
  return drawn.get(node) === JSON.stringify(task) && node.querySelector('[data-key="check"]')?.checked === task.completed;
}

function row(task) {
  if (editing === task.id) {
    const form = taskEditor(task, {
      save: (changes) => save(task, changes),
      cancel: () => { editing = null; refreshTasks().then(() => focusControl(task.id, "edit")); },
    });
    queueMicrotask(() => { const input = form.querySelector(".task-edit"); input?.focus(); input?.select(); });
    return h("li", { class: "task editing", "data-task-id": task.id }, form);
  }
  const item = drawnRow(task);
  drawn.set(item, JSON.stringify(task));
  return item;
}

function drawnRow(task) {
  const checkbox = h("input", {
    type: "checkbox", checked: task.completed, "data-key": "check", "aria-label": `${task.completed ? "Reopen" : "Complete"} “${task.title}”`,
    onchange: () => toggle(task, checkbox.checked),
  });
  const reminder = task.reminder_at && !task.reminded_at
    ? h("span", { class: "reminder" }, "Reminds " + formatDue(task.reminder_at))
    : null;
  const meta = h("div", { class: "task-meta" },
    task.due_at ? h("span", { class: isOverdue(task) ? "due overdue" : "due" }, "Due " + formatDue(task.due_at)) : null,
    task.priority !== "medium" ? h("span", { class: `priority ${task.priority}` }, task.priority) : null,
    ...(task.tags || []).map((tag) => h("span", { class: "tag" }, "#" + tag)),
    task.recurrence ? h("span", { class: "tag" }, "↻ " + task.recurrence) : null,
    reminder,
  );
  return h("li", { class: task.completed ? "task done" : "task", "data-task-id": task.id },
    checkbox,
    h("div", { class: "task-body" },
      h("span", { class: "task-title", ondblclick: () => startEditing(task) }, task.title),
      task.description ? h("p", { class: "task-description" }, task.description) : null,
      meta.childElementCount ? meta : null),
    h("button", { type: "button", class: "icon quiet", "data-key": "edit", "aria-label": `Edit “${task.title}”`, onclick: () => startEditing(task) }, "✎"),
    h("button", { type: "button", class: "icon quiet danger", "data-key": "delete", "aria-label": `Delete “${task.title}”`, onclick: () => remove(task) }, "✕"),
  );
}

function focusControl(id, key) {
  $(`#task-list [data-task-id="${id}"] [data-key="${key}"]`)?.focus();
}

function startEditing(task) {
  editing = task.id;
  const current = $(`#task-list [data-task-id="${task.id}"]`);
  current?.replaceWith(row(task));
}

async function save(task, changes) {
  if (editing !== task.id) return;
  editing = null;
  if (Object.keys(changes).length > 0) await act(() => call("PATCH", `/api/tasks/${task.id}`, changes));
  else await refreshTasks();
  if (editing === null) focusControl(task.id, "edit");
}

function toggle(task, completed) {
  return act(async () => {
    const result = await setCompleted(task, completed);
    if (completed) {
      const next = result.next_occurrence ? `; next one due ${formatDue(result.next_occurrence.due_at)}` : "";
      showToast(`Completed “${task.title}”${next}.`, { label: "Undo", run: () => act(() => undoComplete(result)) });
    }
  });
}

async function remove(task) {
  const rows = $("#task-list").children;
  const index = [...rows].findIndex((item) => item.dataset.taskId === String(task.id));
  await act(async () => {
    await deleteTask(task);
    showToast(`Deleted “${task.title}”.`, { label: "Undo", run: () => act(() => restoreTask(task)) });
  });
  // The keyboard moves on to the next task's Delete (or the previous one's, or the add box).
  if (document.activeElement === document.body) {
    const near = rows[index] ?? rows[index - 1];
    (near?.querySelector('[data-key="delete"]') ?? $("#task-add-input")).focus();
  }
}

/** Asks before deleting every completed task, in the panel, with the count. */
async function confirmClear() {
  const box = $("#clear-confirm");
  showError($("#task-error"), "");
  let done;
  try {
    done = await completedTasks();
  } catch (error) {
    showError($("#task-error"), error.message);
    return;
  }
  if (done.length === 0) { showToast("There are no completed tasks to clear."); return; }
  const close = () => { box.replaceChildren(); box.hidden = true; $("#clear-completed").focus(); };
  const yes = h("button", { type: "button", class: "danger", onclick: () => { box.replaceChildren(); box.hidden = true; clear(done); } }, "Delete");
  const no = h("button", { type: "button", onclick: close }, "Keep");
  box.replaceChildren(h("span", {}, `Delete ${done.length} completed task${done.length === 1 ? "" : "s"}?`), yes, no);
  box.hidden = false;
  box.onkeydown = (event) => { if (event.key === "Escape") { event.stopPropagation(); close(); } };
  no.focus();
}

function clear(tasks) {
  return act(async () => {
    const { deleted, error } = await deleteAll(tasks);
    if (deleted.length > 0) {
      showToast(`Deleted ${deleted.length} completed task${deleted.length === 1 ? "" : "s"}.`, {
        label: "Undo", run: () => act(async () => { for (const task of deleted) await restoreTask(task); }),
      });
    }
    if (error) throw error;
  });
}

/** A live change to one task: drawn in place at once (idempotent by id), then the list is re-read to place it. */
export function applyTaskEvent(type, task) {
  if (!task || task.id === undefined) return;
  const current = $(`#task-list [data-task-id="${task.id}"]`);
  if (type === "task.deleted") {
    if (editing === task.id) editing = null;
    current?.remove();
    $("#task-empty").hidden = $("#task-list").childElementCount > 0;
  } else if (current && editing !== task.id && !shows(current, task)) {
    const active = document.activeElement;
    const key = current.contains(active) ? active.dataset.key : null;
    const next = row(task);
    current.replaceWith(next);
    if (key) next.querySelector(`[data-key="${key}"]`)?.focus();
  }
  later();
}
