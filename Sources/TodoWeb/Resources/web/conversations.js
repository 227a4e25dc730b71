// The conversation list: open, rename and delete chats, kept current by live events from any tab.
import { call } from "./api.js";
import { $, h } from "./dom.js";

let conversations = [];
let active = null;
let open = () => {};
let busy = false; // a rename or a delete question is showing: live changes wait for it
let drawnKey = ""; // what the list shows, so an unchanged list is not redrawn under the pointer

/** `opener(id)` opens a conversation (null: the start screen). */
export function setUpConversations(opener) {
  open = opener;
}

/** Loads the list; with `openFirst`, opens the most recent conversation (or the start screen). */
export async function loadConversations(openFirst = true) {
  const result = await call("GET", "/api/conversations?limit=100");
  conversations = result.conversations;
  busy = false;
  renderList();
  if (openFirst) await open(conversations[0]?.id ?? null);
}

export function resetConversations() {
  conversations = [];
  active = null;
  busy = false;
  drawnKey = "";
  $("#conversation-list").replaceChildren();
}

/** Marks the open conversation in the list. */
export function setActiveConversation(id) {
  active = id;
  for (const item of document.querySelectorAll(".conversation")) {
    const isActive = Number(item.dataset.conversationId) === id;
    item.classList.toggle("active", isActive);
    item.querySelector(".conversation-title")?.setAttribute("aria-current", isActive ? "true" : "false");
  }
  if (drawnKey) drawnKey = listKey();
}

const listKey = () => JSON.stringify([active, conversations.map(({ id, title }) => [id, title])]);

function renderList() {
  const key = listKey();
  if (key === drawnKey) return;
  drawnKey = key;
  $("#conversation-list").replaceChildren(...conversations.map((conversation) => {
    const title = conversation.title || "New chat";
    const select = h("button", {
      type: "button", class: "conversation-title", "aria-current": conversation.id === active ? "true" : "false",
      onclick: () => open(conversation.id),
    }, title);
    const rename = h("button", { type: "button", class: "icon quiet", "aria-label": `Rename “${title}”`, onclick: () => startRename(item, conversation) }, "✎");
    const remove = h("button", { type: "button", class: "icon quiet danger", "aria-label": `Delete “${title}”`, onclick: () => confirmDelete(item, conversation) }, "✕");
    const item = h("li", { class: conversation.id === active ? "conversation active" : "conversation", "data-conversation-id": conversation.id }, select, rename, remove);
    return item;
  }));
}

function startRename(item, conversation) {
  busy = true;
  drawnKey = "";
  const input = h("input", { class: "rename", value: conversation.title, "aria-label": "Conversation title", maxlength: 200 });
  let finished = false;
  const finish = async (save) => {
    if (finished) return;
    finished = true;
    if (save && input.value.trim() && input.value.trim() !== conversation.title) {
      await call("PATCH", `/api/conversations/${conversation.id}`, { title: input.value.trim() }).catch(() => {});
    }
    await loadConversations(false).catch(() => {});
    $(`.conversation[data-conversation-id="${conversation.id}"] .conversation-title`)?.focus();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); finish(true); }
    if (event.key === "Escape") { event.stopPropagation(); finish(false); }
  });
  input.addEventListener("blur", () => finish(true), { once: true });
  item.replaceChildren(input);
  input.focus();
  input.select();
}

function confirmDelete(item, conversation) {
  busy = true;
  drawnKey = "";
  const yes = h("button", { type: "button", class: "danger", onclick: async () => {
    await call("DELETE", `/api/conversations/${conversation.id}`).catch(() => {});
    const wasOpen = active === conversation.id;
    await loadConversations(false).catch(() => {});
    if (wasOpen) await open(conversations[0]?.id ?? null);
  } }, "Delete");
  const no = h("button", { type: "button", onclick: () => loadConversations(false) }, "Keep");
  item.replaceChildren(h("span", { class: "confirm" }, "Delete this chat?"), yes, no);
  no.focus();
}

/** A live change: conversation.created / .updated carry {conversation}, .deleted carries {conversation_id}. */
export function applyConversationEvent(type, data) {
  if (type === "conversation.deleted") {
    const id = data.conversation_id;
    conversations = conversations.filter((conversation) => conversation.id !== id);
    if (active === id) open(null);
  } else if (data.conversation) {
    const changed = data.conversation;
    conversations = [changed, ...conversations.filter((conversation) => conversation.id !== changed.id)];
    conversations.sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at) || b.id - a.id);
  }
  if (!busy) renderList();
}
