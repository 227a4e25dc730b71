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

/** Brings a deleted task back with its id and every field (the server keeps deleted tasks for 7 days). */
export function restoreTask(task) {
  return call("POST", `/api/tasks/${task.id}/restore`);
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
