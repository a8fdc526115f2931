// Twitchy Chat mod dashboard: live over /ws/mod/<room>/ (docs/protocol.md), actions
// through /api/ (docs/api.md); one module per panel.
// No user-written text is ever inserted as HTML: only textContent and DOM nodes.
import { openFeed } from "../chat/socket.js";
import { config } from "./api.js";
import { addAuditEntry, resetAudit } from "./audit.js";
import { refreshCard } from "./card.js";
import { chatHandlers, resetChat } from "./chat.js";
import { removeHeld, resetHeld, upsertHeld } from "./held.js";
import { showModes, showRewrites } from "./modes.js";
import { loadTerms, showTerms } from "./terms.js";

const status = document.getElementById("dash-status");

const handlers = {
  ...chatHandlers,
  dashboard: function (frame) {
    resetChat(frame.messages);
    resetHeld(frame.held);
    showModes(frame.room);
    showTerms(frame.blocked_terms);
    resetAudit(frame.audit);
    showRewrites(frame.rewrites);
  },
  clear_user: function (frame) {
    chatHandlers.clear_user(frame);
    refreshCard(frame.login);
  },
  room_state: showModes,
  held: function (frame) { upsertHeld(frame.item); },
  held_resolved: function (frame) { removeHeld(frame.id); },
  audit: function (frame) {
    addAuditEntry(frame.entry);
    if (frame.entry.action === "term_add" || frame.entry.action === "term_remove") loadTerms();
  },
};

openFeed({
  path: config.socket,
  resume: false, // every connection starts with a fresh snapshot
  onFrame: function (frame) {
    const handler = handlers[frame.type];
    if (handler) handler(frame);
  },
  onStatus: function (text) {
    status.textContent = text || "Live";
    status.classList.toggle("live", !text);
  },
  final: {
    4403: "You no longer moderate this room.",
    4401: "You are logged out.",
  },
});
