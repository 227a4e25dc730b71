// How chat messages look: bubbles, the tool cards inside an answer, the mark of a stopped answer, inline errors.
import { h, formatDue } from "./dom.js";
import { renderMarkdown } from "./markdown.js";

const statusLabels = { stopped: "Stopped", interrupted: "Interrupted", failed: "Failed" };

/** A message bubble; `turnId` ties it to its turn, so Edit and Regenerate can replace the turn. */
export function bubble(role, text, turnId = null) {
  const body = h("div", { class: "text" });
  if (role === "user") body.append(text);
  return h("article", { class: `message ${role}`, "aria-label": role === "user" ? "You" : "Assistant", "data-turn-id": turnId },
    role === "assistant" ? h("div", { class: "cards" }) : null, body);
}

/** A stored assistant message with its tool cards and, when it did not finish, a mark saying so. */
export function storedAnswer(message) {
  const reply = bubble("assistant", "", message.turn_id ?? null);
  for (const step of message.tool_calls || []) reply.querySelector(".cards").append(card(step));
  reply.querySelector(".text").append(renderMarkdown(message.content));
  if (message.status) markStatus(reply, message.status);
  return reply;
}

/** Adds a small "Stopped" (or "Interrupted", "Failed") mark under an answer. */
export function markStatus(reply, status) {
  const label = statusLabels[status];
  if (!label) return;
  reply.querySelector(".status-mark")?.remove();
  reply.append(h("p", { class: `status-mark ${status}` }, label));
}

/** What a tool did, in a few words: "Added: Buy milk, due tomorrow 09:00". */
export function describe(step) {
  const result = step.result ?? {};
  const args = step.arguments && typeof step.arguments === "object" ? step.arguments : {};
  if (step.is_error && result && result.status === "confirmation_required") {
    return { text: `Waiting for your confirmation: delete “${result.title}”`, kind: "confirm" };
  }
  if (step.is_error) return { text: `${label(step.name)} failed: ${typeof result === "string" ? result : JSON.stringify(result)}`, kind: "error" };
  switch (step.name) {
    case "add_task": return { text: `Added: ${result.title}${args.due_at ? ", due " + formatDue(args.due_at) : ""}`, kind: "added" };
    case "complete_task": return { text: `Completed: ${result.title}`, kind: "completed" };
    case "delete_task": return { text: `Deleted: ${result.title}`, kind: "deleted" };
    case "update_task": return { text: `Updated: ${result.title}`, kind: "updated" };
    case "restore_task": return { text: `Restored: ${result.title}`, kind: "added" };
    case "list_tasks": return { text: `Looked at ${Array.isArray(result) ? result.length : 0} task${Array.isArray(result) && result.length === 1 ? "" : "s"}`, kind: "listed" };
    default: return { text: label(step.name), kind: "listed" };
  }
}

function label(name) {
  return String(name).replace(/_/g, " ");
}

export function card(step) {
  const { text, kind } = describe(step);
  return h("div", { class: `card ${kind}`, "data-tool": step.name }, text);
}

/** An inline error under a turn, with buttons such as Retry: `actions` is a list of [label, run]. */
export function errorNote(message, actions = []) {
  return h("div", { class: "message-error", role: "alert" }, h("span", {}, message),
    ...actions.map(([text, run]) => h("button", { type: "button", onclick: run }, text)));
}
