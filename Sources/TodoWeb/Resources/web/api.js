// The API as the UI uses it: JSON calls with the API's error shape, and the chat's event stream.

/** An API failure with the server's message, ready to show. */
export class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Calls the API; resolves with the JSON body (null for 204), rejects with an APIError. */
export async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new APIError(0, "NETWORK", "Cannot reach the server. Check your connection and try again.");
  }
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) {
    const error = data && data.error;
    throw new APIError(response.status, error?.code ?? "HTTP_" + response.status, error?.message ?? `The server answered ${response.status}.`);
  }
  return data;
}

/**
 * Sends a chat message and calls `onEvent(name, data)` for each server-sent event as it arrives
 * (conversation, text-delta, tool-call, tool-result, done, error). Resolves when the stream ends.
 */
export async function streamChat(body, onEvent, signal) {
  let response;
  try {
    response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch {
    throw new APIError(0, "NETWORK", "Cannot reach the server. Check your connection and try again.");
  }
  if (!response.ok) {
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    throw new APIError(response.status, data?.error?.code ?? "HTTP_" + response.status, data?.error?.message ?? `The server answered ${response.status}.`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  const dispatch = (block) => {
    let name = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length === 0) return;
    let parsed;
    try { parsed = JSON.parse(data.join("\n")); } catch { return; }
    if (name === "done" || name === "error") ended = true;
    onEvent(name, parsed);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    let split;
    while ((split = buffer.indexOf("\n\n")) >= 0) {
      dispatch(buffer.slice(0, split));
      buffer = buffer.slice(split + 2);
    }
  }
  if (buffer.trim()) dispatch(buffer);
  if (!ended) throw new APIError(0, "INTERRUPTED", "The answer was cut off. Try again.");
}
