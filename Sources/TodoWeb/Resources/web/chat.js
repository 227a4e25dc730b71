// Conversations and the chat: the list, the messages with their tool cards, and the streamed reply.
import { call, streamChat } from "./api.js";
import { $, h, formatDue } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { refreshTasks } from "./tasks.js";

const suggestions = ["Add buy milk tomorrow", "What's pending?", "Add call mom next friday #family high priority", "What's due this week?"];
let current = null;
let sending = false;

export function setUpChat() {
  $("#suggestions").replaceChildren(...suggestions.map((text) =>
    h("button", { type: "button", class: "suggestion", onclick: () => send(text) }, text)));
  const input = $("#composer-input");
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("#composer").requestSubmit();
    }
  });
  input.addEventListener("input", () => grow(input));
  $("#composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || sending) return;
    input.value = "";
    grow(input);
    send(text);
  });
  $("#new-chat").addEventListener("click", () => openConversation(null));
}

function grow(input) {
  input.rows = Math.min(8, Math.max(1, input.value.split("\n").length));
}

/** Loads the list and opens the most recent conversation (or the start screen). */
export async function loadConversations(open = true) {
  const { conversations } = await call("GET", "/api/conversations?limit=100");
  renderList(conversations);
  if (open) await openConversation(conversations[0]?.id ?? null);
}

function renderList(conversations) {
  $("#conversation-list").replaceChildren(...conversations.map((conversation) => {
    const title = conversation.title || "New chat";
    const select = h("button", {
      type: "button", class: "conversation-title", "aria-current": conversation.id === current ? "true" : null,
      onclick: () => openConversation(conversation.id),
    }, title);
    const rename = h("button", { type: "button", class: "icon quiet", "aria-label": `Rename “${title}”`, onclick: () => startRename(item, conversation) }, "✎");
    const remove = h("button", { type: "button", class: "icon quiet danger", "aria-label": `Delete “${title}”`, onclick: () => confirmDelete(item, conversation) }, "✕");
    const item = h("li", { class: conversation.id === current ? "conversation active" : "conversation", "data-conversation-id": conversation.id }, select, rename, remove);
    return item;
  }));
}

function startRename(item, conversation) {
  const input = h("input", { class: "rename", value: conversation.title, "aria-label": "Conversation title", maxlength: 200 });
  const finish = async (save) => {
    if (save && input.value.trim() && input.value.trim() !== conversation.title) {
      await call("PATCH", `/api/conversations/${conversation.id}`, { title: input.value.trim() }).catch(() => {});
    }
    await loadConversations(false);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); finish(true); }
    if (event.key === "Escape") finish(false);
  });
  input.addEventListener("blur", () => finish(true), { once: true });
  item.replaceChildren(input);
  input.focus();
  input.select();
}

function confirmDelete(item, conversation) {
  const yes = h("button", { type: "button", class: "danger", onclick: async () => {
    await call("DELETE", `/api/conversations/${conversation.id}`).catch(() => {});
    if (current === conversation.id) current = null;
    await loadConversations(current === null);
  } }, "Delete");
  const no = h("button", { type: "button", onclick: () => loadConversations(false) }, "Keep");
  item.replaceChildren(h("span", { class: "confirm" }, "Delete this chat?"), yes, no);
  no.focus();
}

export async function openConversation(id) {
  current = id;
  const messages = $("#messages");
  messages.replaceChildren();
  if (id !== null) {
    try {
      const detail = await call("GET", `/api/conversations/${id}?limit=500`);
      for (const message of detail.messages) {
        if (message.role === "user") messages.append(bubble("user", message.content));
        else if (message.role === "assistant") {
          const reply = bubble("assistant", "");
          for (const step of message.tool_calls || []) reply.querySelector(".cards").append(card(step));
          reply.querySelector(".text").append(renderMarkdown(message.content));
          messages.append(reply);
        }
      }
    } catch (error) {
      messages.append(errorNote(error.message, null));
    }
  }
  $("#start").hidden = messages.childElementCount > 0;
  for (const item of document.querySelectorAll(".conversation")) {
    const active = Number(item.dataset.conversationId) === id;
    item.classList.toggle("active", active);
    item.querySelector(".conversation-title")?.setAttribute("aria-current", active ? "true" : "false");
  }
  messages.scrollTop = messages.scrollHeight;
  document.body.classList.remove("show-conversations");
}

function bubble(role, text) {
  const body = h("div", { class: "text" });
  if (role === "user") body.append(text);
  return h("article", { class: `message ${role}`, "aria-label": role === "user" ? "You" : "Assistant" },
    role === "assistant" ? h("div", { class: "cards" }) : null, body);
}

/** What a tool did, in a few words: "Added: Buy milk, due tomorrow 09:00". */
export function describe(step) {
  const result = step.result ?? {};
  const args = step.arguments && typeof step.arguments === "object" ? step.arguments : {};
  if (step.is_error) return { text: `${label(step.name)} failed: ${typeof result === "string" ? result : JSON.stringify(result)}`, kind: "error" };
  switch (step.name) {
    case "add_task": return { text: `Added: ${result.title}${args.due_at ? ", due " + formatDue(args.due_at) : ""}`, kind: "added" };
    case "complete_task": return { text: `Completed: ${result.title}`, kind: "completed" };
    case "delete_task": return { text: `Deleted: ${result.title}`, kind: "deleted" };
    case "update_task": return { text: `Updated: ${result.title}`, kind: "updated" };
    case "list_tasks": return { text: `Looked at ${Array.isArray(result) ? result.length : 0} task${Array.isArray(result) && result.length === 1 ? "" : "s"}`, kind: "listed" };
    default: return { text: label(step.name), kind: "listed" };
  }
}

function label(name) {
  return String(name).replace(/_/g, " ");
}

function card(step) {
  const { text, kind } = describe(step);
  return h("div", { class: `card ${kind}`, "data-tool": step.name }, text);
}

function errorNote(message, retry) {
  return h("div", { class: "message-error", role: "alert" }, h("span", {}, message),
    retry ? h("button", { type: "button", onclick: retry }, "Retry") : null);
}

async function send(text) {
  if (sending) return;
  sending = true;
  $("#send").disabled = true;
  $("#start").hidden = true;
  const messages = $("#messages");
  messages.append(bubble("user", text));
  const reply = bubble("assistant", "");
  reply.classList.add("streaming");
  messages.append(reply);
  messages.scrollTop = messages.scrollHeight;
  const textNode = reply.querySelector(".text");
  let written = "";
  let startedConversation = current;
  const body = { message: text, time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  if (current !== null) body.conversation_id = current;
  try {
    await streamChat(body, (name, data) => {
      if (name === "conversation") {
        startedConversation = data.conversation_id;
        current = data.conversation_id;
      } else if (name === "text-delta") {
        written += data.delta;
        textNode.replaceChildren(renderMarkdown(written));
      } else if (name === "tool-result") {
        reply.querySelector(".cards").append(card(data));
        if (data.name !== "list_tasks") refreshTasks();
      } else if (name === "done") {
        textNode.replaceChildren(renderMarkdown(data.response));
        $("#live").textContent = data.response;
      } else if (name === "error") {
        reply.after(errorNote(data.message, () => retry(text)));
      }
      messages.scrollTop = messages.scrollHeight;
    });
  } catch (error) {
    reply.after(errorNote(error.message, () => retry(text)));
  } finally {
    reply.classList.remove("streaming");
    if (!reply.querySelector(".card") && !written) reply.remove();
    sending = false;
    $("#send").disabled = false;
    if (startedConversation !== null) await loadConversations(false).catch(() => {});
    refreshTasks();
    $("#composer-input").focus();
  }
}

function retry(text) {
  for (const note of document.querySelectorAll(".message-error")) note.remove();
  send(text);
}
