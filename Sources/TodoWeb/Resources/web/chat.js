// The chat: the open conversation's messages, the streamed reply with Stop, and Edit / Regenerate of the last turn.
import { call, streamChat } from "./api.js";
import { $, h } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { refreshTasks } from "./tasks.js";
import { bubble, storedAnswer, markStatus, card, errorNote } from "./messageView.js";
import { setUpConversations, loadConversations, setActiveConversation } from "./conversations.js";

const suggestions = ["Add buy milk tomorrow", "What's pending?", "Add call mom next friday #family high priority", "What's due this week?"];
/** How long a stop may take on the server before the page stops reading the answer itself. */
const stopGrace = 5000;
let current = null;
/** The turn being answered: {conversationId, turnId, controller, stopping, aborted}, or null. */
let running = null;

export function setUpChat() {
  setUpConversations(openConversation);
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
    if (!text || running) return;
    input.value = "";
    grow(input);
    send(text);
  });
  $("#stop").addEventListener("click", stop);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && running && !event.defaultPrevented) stop();
  });
  $("#new-chat").addEventListener("click", () => openConversation(null));
}

function grow(input) {
  input.rows = Math.min(8, Math.max(1, input.value.split("\n").length));
}

async function openConversation(id) {
  current = id;
  const messages = $("#messages");
  messages.replaceChildren();
  if (id !== null) {
    try {
      const detail = await call("GET", `/api/conversations/${id}?limit=500`);
      if (current !== id) return;
      for (const message of detail.messages) {
        if (message.role === "user") messages.append(bubble("user", message.content, message.turn_id ?? null));
        else if (message.role === "assistant") messages.append(storedAnswer(message));
      }
    } catch (error) {
      messages.append(errorNote(error.message));
    }
  }
  $("#start").hidden = messages.childElementCount > 0;
  setActiveConversation(id);
  showTurnActions();
  messages.scrollTop = messages.scrollHeight;
  document.body.classList.remove("show-conversations");
}

/**
 * Edit under the last user message and Regenerate under the last answer, when no answer is being written. An answer
 * that asks to confirm deletes gets Delete and Keep, which answer it with "yes" or "no".
 */
function showTurnActions() {
  const messages = $("#messages");
  for (const old of messages.querySelectorAll(".turn-actions")) old.remove();
  const last = [...messages.querySelectorAll(".message")].pop();
  const turnId = last?.dataset.turnId;
  if (running || !turnId) return;
  const question = [...messages.querySelectorAll(".message.user")].find((item) => item.dataset.turnId === turnId);
  const answer = [...messages.querySelectorAll(".message.assistant")].find((item) => item.dataset.turnId === turnId);
  if (!question) return;
  const text = question.querySelector(".text").textContent;
  question.after(h("div", { class: "turn-actions user" },
    h("button", { type: "button", class: "quiet small", onclick: () => startEdit(question, text, turnId) }, "Edit")));
  const held = answer ? answer.querySelectorAll(".card.confirm").length : 0;
  const confirm = held
    ? [h("button", { type: "button", class: "danger small", onclick: () => send("yes") }, held === 1 ? "Delete it" : `Delete ${held} tasks`),
       h("button", { type: "button", class: "small", onclick: () => send("no") }, "Keep")]
    : [];
  answer?.after(h("div", { class: "turn-actions assistant" }, ...confirm,
    h("button", { type: "button", class: "quiet small", onclick: () => send(text, { replaceTurnId: turnId }) }, "Regenerate")));
}

/** Edits the last message in place; sending it replaces the turn. */
function startEdit(question, text, turnId) {
  if (running) return;
  for (const old of document.querySelectorAll(".turn-actions")) old.remove();
  const box = h("textarea", { class: "edit-box", "aria-label": "Edit your message", maxlength: 4000, rows: Math.min(8, text.split("\n").length + 1) }, text);
  const cancel = () => { form.replaceWith(question); showTurnActions(); question.nextElementSibling?.querySelector("button")?.focus(); };
  const form = h("form", { class: "message-edit" }, box,
    h("div", { class: "editor-actions" },
      h("button", { type: "submit", class: "primary" }, "Send"),
      h("button", { type: "button", onclick: cancel }, "Cancel")));
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
    if (event.key === "Escape") { event.preventDefault(); cancel(); }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const edited = box.value.trim();
    if (!edited) return;
    form.replaceWith(question);
    send(edited, { replaceTurnId: turnId });
  });
  question.replaceWith(form);
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

function setRunning(run) {
  running = run;
  $("#send").hidden = Boolean(run);
  $("#send").disabled = Boolean(run);
  $("#stop").hidden = !run;
  $("#stop").disabled = false;
}

/** Stops the answer being written: the server keeps the text so far and ends the stream with status "stopped". */
function stop() {
  const run = running;
  if (!run || run.stopping) return;
  run.stopping = true;
  $("#stop").disabled = true;
  $("#live").textContent = "Stopping…";
  if (run.conversationId !== null) requestCancel(run);
  // Before the conversation event the id is unknown; the cancel goes out as soon as it arrives.
}

async function requestCancel(run) {
  let grace = stopGrace;
  try {
    await call("POST", `/api/conversations/${run.conversationId}/cancel`, run.turnId ? { turn_id: run.turnId } : {});
  } catch (error) {
    // NO_RUNNING_TURN: it is finishing anyway. Anything else: the server cannot stop it, so at least stop reading.
    grace = error.code === "NO_RUNNING_TURN" ? 1000 : 0;
  }
  setTimeout(() => { if (running === run) abort(run); }, grace);
}

function abort(run) {
  run.aborted = true;
  run.controller.abort();
}

/** Sends a message, or with `replaceTurnId` replaces the last turn (Edit, Regenerate), and streams the answer in. */
async function send(text, { replaceTurnId = null } = {}) {
  if (running) return;
  const messages = $("#messages");
  for (const note of messages.querySelectorAll(".message-error, .turn-actions")) note.remove();
  if (replaceTurnId) for (const old of messages.querySelectorAll(`[data-turn-id="${replaceTurnId}"]`)) old.remove();
  const run = { conversationId: current, turnId: null, controller: new AbortController(), stopping: false, aborted: false };
  setRunning(run);
  $("#start").hidden = true;
  const question = bubble("user", text);
  messages.append(question);
  const reply = bubble("assistant", "");
  reply.classList.add("streaming");
  messages.append(reply);
  messages.scrollTop = messages.scrollHeight;
  const textNode = reply.querySelector(".text");
  let written = "";
  let stopped = false;
  let startedConversation = current;
  const body = { message: text, time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  if (current !== null) body.conversation_id = current;
  if (replaceTurnId) body.replace_turn_id = replaceTurnId;
  // Once the server has the turn (its user message is stored), trying again replaces it instead of repeating it.
  const retry = () => {
    question.remove();
    reply.remove();
    send(text, { replaceTurnId: run.turnId || replaceTurnId });
  };
  let conflictError = null;
  try {
    await streamChat(body, (name, data) => {
      if (name === "conversation") {
        startedConversation = data.conversation_id;
        if (current === run.conversationId) current = data.conversation_id;
        run.conversationId = data.conversation_id;
        run.turnId = data.turn_id ?? null;
        question.dataset.turnId = reply.dataset.turnId = run.turnId ?? "";
        if (run.stopping) requestCancel(run);
      } else if (name === "text-delta") {
        written += data.delta;
        textNode.replaceChildren(renderMarkdown(written));
      } else if (name === "tool-result") {
        reply.querySelector(".cards").append(card(data));
        if (data.name !== "list_tasks") refreshTasks();
      } else if (name === "done") {
        written = data.response ?? written;
        textNode.replaceChildren(renderMarkdown(written));
        if (data.turn_id) question.dataset.turnId = reply.dataset.turnId = data.turn_id;
        stopped = data.status === "stopped";
        if (stopped) markStatus(reply, "stopped");
        $("#live").textContent = stopped ? `Stopped. ${written}` : written;
      } else if (name === "error") {
        reply.after(errorNote(data.message, [["Retry", retry]]));
      }
      messages.scrollTop = messages.scrollHeight;
    }, run.controller.signal);
  } catch (error) {
    if (run.aborted) {
      stopped = true;
      markStatus(reply, "stopped");
      $("#live").textContent = "Stopped.";
    } else if (error.status === 409) {
      conflictError = error;
    } else {
      reply.after(errorNote(error.message, [["Retry", retry]]));
    }
  } finally {
    reply.classList.remove("streaming");
    if (!reply.querySelector(".card") && !written && !stopped) reply.remove();
    if (running === run) setRunning(null);
  }
  if (conflictError) { await conflict(conflictError, retry); return; }
  if (startedConversation !== null) await loadConversations(false).catch(() => {});
  refreshTasks();
  showTurnActions();
  $("#composer-input").focus();
}

/**
 * A 409: another answer is being written in this conversation (TURN_RUNNING), or the turn to replace is no longer
 * the last one. The conversation is read again, so the page shows what the server has, and the reason stays under it.
 */
async function conflict(error, retry) {
  const id = current;
  if (id !== null) await openConversation(id);
  const busy = error.code === "TURN_RUNNING";
  const message = busy
    ? "An answer is still being written in this conversation, maybe in another tab. Wait for it or stop it, then try again."
    : "That message is no longer the last one in this conversation, so it cannot be changed. The conversation was reloaded.";
  const actions = busy ? [["Retry", retry], ["Stop it", () => cancelOther(id)]] : [];
  $("#messages").append(errorNote(message, actions));
  $("#composer-input").focus();
}

async function cancelOther(id) {
  if (id === null) return;
  try {
    await call("POST", `/api/conversations/${id}/cancel`, {});
    $("#live").textContent = "Stopping the other answer…";
  } catch (error) {
    if (error.code !== "NO_RUNNING_TURN") $("#live").textContent = error.message;
  }
}

/** Forgets the open conversation when the user signs out. */
export function resetChat() {
  if (running) abort(running);
  current = null;
  $("#messages").replaceChildren();
  $("#start").hidden = false;
}
