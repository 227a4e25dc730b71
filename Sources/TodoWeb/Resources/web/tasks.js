// The task panel: the signed-in user's tasks, filterable, editable in place, refreshed after every tool change.
import { call } from "./api.js";
import { $, h, showError, formatDue, isOverdue } from "./dom.js";

let filter = "all";
let editing = null;

export function setUpTasks() {
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.addEventListener("click", () => {
      filter = button.dataset.filter;
      for (const other of document.querySelectorAll("[data-filter]")) other.setAttribute("aria-pressed", String(other === button));
      refreshTasks();
    });
  }
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
}

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
  const list = $("#task-list");
  let tasks;
  try {
    const query = filter === "all" ? "" : `?status=${filter}`;
    tasks = (await call("GET", `/api/tasks${query}${query ? "&" : "?"}sort=created&order=asc&limit=200`)).tasks;
  } catch (error) {
    showError($("#task-error"), error.message);
    return;
  }
  list.replaceChildren(...tasks.map(row));
  $("#task-empty").hidden = tasks.length > 0;
}

function row(task) {
  const checkbox = h("input", {
    type: "checkbox", checked: task.completed, "aria-label": `${task.completed ? "Reopen" : "Complete"} “${task.title}”`,
    onchange: () => act(() => call("PATCH", `/api/tasks/${task.id}/complete`, { completed: checkbox.checked })),
  });
  const meta = h("div", { class: "task-meta" },
    task.due_at ? h("span", { class: isOverdue(task) ? "due overdue" : "due" }, "Due " + formatDue(task.due_at)) : null,
    task.priority !== "medium" ? h("span", { class: `priority ${task.priority}` }, task.priority) : null,
    ...(task.tags || []).map((tag) => h("span", { class: "tag" }, "#" + tag)),
    task.recurrence ? h("span", { class: "tag" }, "↻ " + task.recurrence) : null,
  );
  const title = editing === task.id
    ? h("input", {
        class: "task-edit", value: task.title, "aria-label": "Task title", maxlength: 200,
        onkeydown: (event) => {
          if (event.key === "Enter") { event.preventDefault(); save(task, event.target.value); }
          if (event.key === "Escape") { editing = null; refreshTasks(); }
        },
        onblur: (event) => save(task, event.target.value),
      })
    : h("span", { class: "task-title", ondblclick: () => startEditing(task) }, task.title);
  const item = h("li", { class: task.completed ? "task done" : "task", "data-task-id": task.id },
    checkbox,
    h("div", { class: "task-body" }, title, meta.childElementCount ? meta : null),
    h("button", { type: "button", class: "icon quiet", "aria-label": `Edit “${task.title}”`, onclick: () => startEditing(task) }, "✎"),
    h("button", { type: "button", class: "icon quiet danger", "aria-label": `Delete “${task.title}”`, onclick: () => act(() => call("DELETE", `/api/tasks/${task.id}`)) }, "✕"),
  );
  if (editing === task.id) queueMicrotask(() => { const input = item.querySelector(".task-edit"); input?.focus(); input?.select(); });
  return item;
}

function startEditing(task) {
  editing = task.id;
  refreshTasks();
}

async function save(task, value) {
  if (editing !== task.id) return;
  editing = null;
  const title = value.trim();
  if (!title || title === task.title) { await refreshTasks(); return; }
  await act(() => call("PATCH", `/api/tasks/${task.id}`, { title }));
}
