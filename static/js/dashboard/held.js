// The held queue: messages waiting for a moderator (or for AutoMod, in a pre-moderated
// room), with AutoMod's reason and scores.
import { el, timeNode } from "../chat/render.js";
import { api, appendUserActions, button } from "./api.js";
import { nameNode } from "./card.js";

const list = document.getElementById("held-list");
const count = document.getElementById("held-count");
const empty = document.getElementById("held-empty");
const held = new Map(); // message id -> <li>

function renderHeld(item) {
  const li = el("li", "held-item");
  li.dataset.id = item.id;
  const head = el("div", "dash-line-head");
  head.append(timeNode(item.sent_at, true), nameNode(item.author));
  const state = item.state === "pending" ? "waiting for AutoMod" : "held: " + (item.reason || "by AutoMod");
  head.append(el("span", "held-reason", state));
  const scores = el("div", "scores");
  // What AutoMod found, strongest first (the categories it found nothing in are left out).
  Object.entries(item.scores || {})
    .filter(function ([, value]) { return value >= 0.05; })
    .sort(function (a, b) { return b[1] - a[1]; })
    .forEach(function ([name, value]) {
      const score = el("span", "score", name.replace("_", " ") + " " + Number(value).toFixed(2));
      if (value >= 0.5) score.classList.add("high");
      scores.append(score);
    });
  const actions = el("div", "held-actions");
  actions.append(
    button("Allow", "Show it to everyone, in its place", function () {
      api("POST", "held/" + item.id + "/allow/");
    }, "primary"),
    button("Deny", "Remove it for good", function () {
      api("POST", "held/" + item.id + "/deny/");
    }, "danger"),
  );
  appendUserActions(actions, item.author);
  li.append(head, el("div", "original-text", item.original), scores, actions);
  return li;
}

function updateCount() {
  count.textContent = held.size;
  empty.hidden = held.size > 0;
}

export function upsertHeld(item) {
  const li = renderHeld(item);
  const existing = held.get(item.id);
  if (existing) existing.replaceWith(li);
  else list.append(li);
  held.set(item.id, li);
  updateCount();
}

export function removeHeld(id) {
  const li = held.get(id);
  if (li) li.remove();
  held.delete(id);
  updateCount();
}

export function resetHeld(items) {
  list.replaceChildren();
  held.clear();
  items.forEach(upsertHeld);
  updateCount();
}
