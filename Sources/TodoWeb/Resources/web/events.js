// The signed-in user's live changes (GET /api/events): one EventSource while signed in; it reconnects by itself
// and resumes from the last event id.
const types = ["task.created", "task.updated", "task.completed", "task.deleted", "task.restored",
  "conversation.created", "conversation.updated", "conversation.deleted", "reminder"];
let source = null;

/**
 * Opens the stream and calls `handlers[type](data)` for each event. A reconnect replays what was missed; when the
 * gap is too long for that, `ready` says `resync` and `handlers.resync()` reloads everything instead.
 */
export function openEvents(handlers) {
  closeEvents();
  const stream = new EventSource("/api/events");
  source = stream;
  stream.addEventListener("ready", (event) => {
    let data = {};
    try { data = JSON.parse(event.data); } catch { /* a ready without data is still ready */ }
    if (data.resync) handlers.resync?.();
  });
  for (const type of types) {
    stream.addEventListener(type, (event) => {
      if (source !== stream) return;
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      handlers[type]?.(data);
    });
  }
}

export function closeEvents() {
  source?.close();
  source = null;
}
