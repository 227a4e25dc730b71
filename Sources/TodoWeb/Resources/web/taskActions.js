// What the task panel asks of the API: complete, delete, clear completed, and the undo of each.
import { call } from "./api.js";

/** Ticks or unticks a task; resolves with the answer ({...task, next_occurrence}). */
export function setCompleted(task, completed) {
  return call("PATCH", `/api/tasks/${task.id}/complete`, { completed });
}

/** Undoes a completion: reopens the task and removes the next occurrence the completion scheduled. */
export async function undoComplete(result) {
  await call("PATCH", `/api/tasks/${result.id}/complete`, { completed: false });
  if (result.next_occurrence) await call("DELETE", `/api/tasks/${result.next_occurrence.id}`).catch(() => {});
}

export function deleteTask(task) {
  return call("DELETE", `/api/tasks/${task.id}`);
}

/**
 * Creates a deleted task again with all its fields. A completed recurring task is ticked before its repeat is set,
 * so bringing it back schedules no new occurrence.
 */
export async function recreate(task) {
  const body = {
    title: task.title, description: task.description ?? "", priority: task.priority ?? "medium", tags: task.tags ?? [],
    due_at: task.due_at ?? null, recurrence: task.completed ? null : task.recurrence ?? null,
  };
  if (task.remind_at) body.remind_at = task.remind_at;
  else if (task.remind_before_minutes && task.due_at) body.remind_before_minutes = task.remind_before_minutes;
  const created = await call("POST", "/api/tasks", body);
  if (task.completed) {
    await call("PATCH", `/api/tasks/${created.id}`, { completed: true });
    if (task.recurrence) await call("PATCH", `/api/tasks/${created.id}`, { recurrence: task.recurrence });
  }
  return created;
}

/** Every completed task of the user, page by page. */
export async function completedTasks() {
  const tasks = [];
  let cursor = null;
  do {
    const page = await call("GET", `/api/tasks?status=completed&limit=200${cursor ? "&cursor=" + encodeURIComponent(cursor) : ""}`);
    tasks.push(...page.tasks);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  return tasks;
}

/** Deletes the given tasks one by one; resolves with those deleted and the error that stopped it, if any. */
export async function deleteAll(tasks) {
  const deleted = [];
  for (const task of tasks) {
    try {
      await deleteTask(task);
      deleted.push(task);
    } catch (error) {
      if (error.status !== 404) return { deleted, error };
    }
  }
  return { deleted, error: null };
}
