// The live chat panel: every line as chatters see it, what was really written below it,
// and the actions on it.
import { appendBadges, el, insertBySeq, renderText, timeNode } from "../chat/render.js";
import { api, appendUserActions, button, config } from "./api.js";
import { nameNode } from "./card.js";

const log = document.getElementById("dash-log");
const MAX_LINES = 500;
const lines = new Map(); // message id -> <li>

function actionsFor(message) {
  const box = el("span", "line-actions");
  box.append(button("Delete", "Delete this message", function () {
    api("DELETE", "messages/" + message.id + "/");
  }, "act-delete"));
  appendUserActions(box, message.author);
  return box;
}

function renderLine(message) {
  const li = el("li", "chat-line dash-line");
  li.dataset.id = message.id;
  li.dataset.seq = message.seq;
  if (message.author) li.dataset.author = message.author.id;
  const head = el("div", "dash-line-head");
  head.append(timeNode(message.sent_at, true));
  if (message.author) appendBadges(head, message.author.badges, config.badges);
  head.append(nameNode(message.author), actionsFor(message));
  const shown = el("div", "chat-text");
  renderText(shown, message.text, message.emotes, config.emotes);
  const original = el("div", "original");
  original.append(el("span", "label", "wrote "), el("span", "original-text", message.original || ""));
  li.append(head, shown, original);
  if (message.shadowed || message.state === "shadowed") li.classList.add("shadowed");
  if (message.action) li.classList.add("action"); // a /me message
  if (message.state === "deleted" || message.state === "blocked") markDeleted(li);
  return li;
}

function markDeleted(li) {
  li.classList.add("deleted");
  const remove = li.querySelector(".act-delete");
  if (remove) remove.disabled = true;
}

export function addMessage(message) {
  const existing = lines.get(message.id);
  if (existing) {
    if (message.original === undefined) {
      message.original = existing.querySelector(".original-text").textContent;
    }
    const fresh = renderLine(message);
    existing.replaceWith(fresh);
    lines.set(message.id, fresh);
    return;
  }
  insertBySeq(log, renderLine(message), message.seq, lines, MAX_LINES);
  log.scrollTop = log.scrollHeight;
}

export function resetChat(messages) {
  log.replaceChildren();
  lines.clear();
  messages.forEach(addMessage);
}

export const chatHandlers = {
  message: function (frame) { addMessage(frame.message); },
  original: function (frame) {
    const li = lines.get(frame.id);
    if (li) li.querySelector(".original-text").textContent = frame.original;
  },
  update: function (frame) {
    const li = lines.get(frame.id);
    if (li) renderText(li.querySelector(".chat-text"), frame.text, frame.emotes, config.emotes);
  },
  delete: function (frame) {
    const li = lines.get(frame.id);
    if (li) markDeleted(li);
  },
  clear_user: function (frame) {
    log.querySelectorAll('[data-author="' + Number(frame.user_id) + '"]').forEach(markDeleted);
  },
  clear_chat: function () {
    log.querySelectorAll(".dash-line").forEach(markDeleted);
  },
};

// The moderator chats (or types a command) from here too: through the REST API, as the
// dashboard; the line comes back on the feed like anyone's.
const compose = document.getElementById("dash-compose");
if (compose) {
  const input = document.getElementById("dash-text");
  compose.addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const nonce = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    if (await api("POST", "messages/", { text: text, nonce: nonce })) input.value = "";
  });
}
