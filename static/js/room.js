// Twitchy Chat room page: the browser side of docs/protocol.md.
// No user-written text is ever inserted as HTML: only textContent and DOM nodes.
import { createComposer } from "./chat/composer.js";
import {
  appendBadges, el, image, insertBySeq, paintName, renderText, setReadableColors, timeNode,
} from "./chat/render.js";
import { openFeed } from "./chat/socket.js";

const config = JSON.parse(document.getElementById("chat-config").textContent);
const log = document.getElementById("chat-log");
const status = document.getElementById("chat-status");
const moreBelow = document.getElementById("more-below");
const viewerCount = document.getElementById("viewer-count");
const modes = document.getElementById("room-modes");

const MAX_LINES = 300;
const lines = new Map(); // message id -> <li>
const originals = new Map(Object.entries(config.originals || {})); // message id -> what was written
let pinned = true; // follow new messages unless the reader scrolled up
let hereNow = []; // the logins of the chatters here now (presence), for @ completion

// ---- rendering -------------------------------------------------------------------

function renderLine(message) {
  const li = el("li", "chat-line");
  li.dataset.id = message.id;
  li.dataset.seq = message.seq;
  li.append(timeNode(message.sent_at));
  const author = message.author;
  if (author) {
    li.dataset.author = author.id;
    li.dataset.login = author.login;
    appendBadges(li, author.badges, config.badges);
    const name = el("button", "chat-name", author.display_name);
    name.type = "button";
    name.title = "About " + author.display_name;
    name.addEventListener("click", function () { openCard(author.login); });
    paintName(name, author.color);
    li.append(name);
  } else {
    li.append(el("span", "chat-name", "deleted user"));
  }
  if (message.reply) {
    // What it answers, above it, as Twitch shows replies.
    const quoted = el("div", "reply-to", "Replying to @" + message.reply.display_name + ": "
      + message.reply.text);
    li.prepend(quoted);
  }
  if (message.first) {
    // Their first message in this room, marked as Twitch marks a first-time chatter.
    li.classList.add("first");
    li.prepend(el("div", "first-chat", "First message in this room"));
  }
  if (config.me && author && message.author.login !== config.me) {
    const reply = el("button", "reply-button link-button", "Reply");
    reply.type = "button";
    reply.title = "Reply to " + author.display_name;
    reply.addEventListener("click", function () { composer.replyTo(message.id, author.display_name); });
    li.append(reply);
  }
  const body = el("span", "chat-text");
  if (message.action) {
    // A /me message: the text in the author's colour, without the colon, as on Twitch.
    li.classList.add("action");
    li.append(" ");
    if (author) paintName(body, author.color);
  } else {
    li.append(el("span", "chat-colon", ":"));
  }
  renderText(body, message.text, message.emotes, config.emotes);
  li.append(body);
  showOriginal(li, message.id);
  if (mentionsMe(message)) li.classList.add("mention");
  return li;
}

// A line that names the reader (@login, any case), or answers one of theirs: highlighted.
const MENTION = config.me ? new RegExp("(^|[^\\w])@" + config.me + "(?![\\w])", "i") : null;
function mentionsMe(message) {
  if (!MENTION || (message.author && message.author.login === config.me)) return false;
  if (message.reply && message.reply.login === config.me) return true;
  return MENTION.test(message.text);
}

// The room's style rewrites everyone's text; authors can still see what they wrote.
function showOriginal(li, id) {
  const original = originals.get(id);
  const body = li.querySelector(".chat-text");
  if (!original || original === body.textContent) return;
  const mine = li.dataset.login === config.me;
  body.title = (mine ? "You wrote: " : "Original: ") + original;
}

function addMessage(message) {
  const shown = lines.get(message.id);
  if (shown) {
    // A message AutoMod held and a moderator allowed: it comes back in its place.
    if (shown.classList.contains("deleted") || shown.classList.contains("held")) {
      const fresh = renderLine(message);
      shown.replaceWith(fresh);
      lines.set(message.id, fresh);
    }
    return;
  }
  insertBySeq(log, renderLine(message), message.seq, lines, MAX_LINES);
  afterAppend();
}

// The text a line showed before it was taken down: the author of a message AutoMod holds
// keeps seeing it, marked, until a moderator decides.
const takenDown = new Map();

function markDeleted(li, why) {
  const body = li.querySelector(".chat-text");
  if (!why && li.classList.contains("deleted")) return; // it already says why it is gone
  if (!li.classList.contains("deleted")) takenDown.set(li.dataset.id, body.cloneNode(true));
  li.classList.remove("held");
  li.classList.add("deleted");
  body.replaceChildren(why || "<message deleted>");
  const label = li.querySelector(".chat-state");
  if (label) label.remove();
  const reply = li.querySelector(".reply-button"); // nothing left to answer
  if (reply) reply.remove();
}

// One of my messages, waiting for a moderator: shown to me alone, and marked so.
function markHeld(id) {
  const li = lines.get(id);
  if (!li) return;
  const kept = takenDown.get(id);
  if (li.classList.contains("deleted") && kept) li.querySelector(".chat-text").replaceWith(kept);
  li.classList.remove("deleted");
  li.classList.add("held");
  if (!li.querySelector(".chat-state")) {
    li.append(el("span", "chat-state", "held for review"));
  }
}

// What each decision on one of my messages means for its line.
const decisions = {
  hold: function (id) { markHeld(id); },
  block: function (id) {
    const li = lines.get(id);
    if (li) markDeleted(li, "<not shown: AutoMod blocked it>");
  },
  deny: function (id) {
    const li = lines.get(id);
    if (li) markDeleted(li, "<removed by a moderator>");
  },
};

function systemLine(text) {
  log.append(el("li", "chat-line system", text));
  afterAppend();
}

function resetLog(messages) {
  log.replaceChildren();
  lines.clear();
  messages.forEach(addMessage);
  if (!messages.length) systemLine("Welcome to the chat room!");
}

function showModes(state) {
  const on = [];
  if (state.slow_mode_seconds) on.push("Slow " + state.slow_mode_seconds + "s");
  if (state.emote_only) on.push("Emote-only");
  if (state.subscribers_only) on.push("Subscribers-only");
  if (state.unique_chat) on.push("Unique chat");
  if (state.pre_moderation) on.push("Pre-moderated");
  modes.textContent = on.join(" · ");
}

// ---- scrolling ---------------------------------------------------------------------

function atBottom() {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
}

// While the pointer rests on the chat, it holds still (a line being read does not run
// away); new lines wait below, and the chat follows again once the pointer leaves.
let hovering = false;

function afterAppend() {
  if (pinned && !hovering) log.scrollTop = log.scrollHeight;
  else moreBelow.hidden = false;
}

log.addEventListener("mouseenter", function () { hovering = true; });
log.addEventListener("mouseleave", function () {
  hovering = false;
  if (pinned) {
    log.scrollTop = log.scrollHeight;
    moreBelow.hidden = true;
  }
});

log.addEventListener("scroll", function () {
  pinned = atBottom();
  if (pinned) moreBelow.hidden = true;
});
moreBelow.addEventListener("click", function () {
  pinned = true;
  hovering = false;
  log.scrollTop = log.scrollHeight;
  moreBelow.hidden = true;
  log.focus();
});

// ---- frames from the server ------------------------------------------------------------

const handlers = {
  history: function (frame) {
    if (!frame.resumed) {
      resetLog(frame.messages);
      return;
    }
    // What changed while we were away: moderated lines go, allowed ones come back.
    frame.removed.forEach(function (id) {
      const li = lines.get(id);
      if (li) markDeleted(li);
    });
    frame.restored.forEach(addMessage);
    frame.messages.forEach(addMessage);
  },
  resync: function (frame) {
    resetLog(frame.messages);
    systemLine("You were away for a while: showing the latest messages.");
  },
  message: function (frame) { addMessage(frame.message); },
  update: function (frame) {
    const li = lines.get(frame.id);
    if (!li || li.classList.contains("deleted")) return; // a late rewrite never revives a line
    renderText(li.querySelector(".chat-text"), frame.text, frame.emotes, config.emotes);
    showOriginal(li, frame.id);
  },
  delete: function (frame) {
    const li = lines.get(frame.id);
    if (li && !li.classList.contains("held")) markDeleted(li);
  },
  clear_chat: function () {
    log.replaceChildren();
    lines.clear();
    systemLine("Chat was cleared by a moderator.");
  },
  clear_user: function (frame) {
    log.querySelectorAll('[data-author="' + Number(frame.user_id) + '"]').forEach(function (li) {
      markDeleted(li);
    });
  },
  room_state: showModes,
  presence: function (frame) {
    viewerCount.textContent = frame.viewers.toLocaleString();
    hereNow = frame.chatters;
    showChatters(frame);
  },
  ack: function (frame) {
    originals.set(frame.id, frame.original);
    const line = lines.get(frame.id);
    if (line) showOriginal(line, frame.id);
    composer.acked(frame);
    if (frame.state === "pending") {
      systemLine("This room is pre-moderated: your message shows once it is approved.");
    }
  },
  error: function (frame) { composer.refused(frame); },
  original: function (frame) {
    originals.set(frame.id, frame.original);
    const li = lines.get(frame.id);
    if (li) showOriginal(li, frame.id);
  },
  notice: function (frame) {
    composer.noticed(frame);
    if (frame.id && decisions[frame.code]) decisions[frame.code](frame.id);
    if (frame.code === "ban") composer.restrict(frame.message);
    if (frame.code === "unban") composer.lift();
    if (frame.code === "timeout" && frame.retry_after) {
      composer.restrict(frame.message, Date.now() + frame.retry_after * 1000);
    }
    systemLine(frame.message);
  },
};

resetLog(config.messages);
const feed = openFeed({
  path: config.socket,
  onFrame: function (frame) {
    const handler = handlers[frame.type];
    if (handler) handler(frame);
  },
  onStatus: function (text) {
    status.hidden = !text;
    status.textContent = text;
  },
  final: {
    4404: "This room no longer exists.",
    4401: "You are logged out. Reload the page to keep watching.",
  },
});
const composer = createComposer({
  form: document.getElementById("chat-form"),
  input: document.getElementById("chat-text"),
  counter: document.getElementById("chat-counter"),
  refusal: document.getElementById("chat-refusal"),
  maxLength: config.maxLength,
  send: feed.send,
  suggestions: document.getElementById("emote-suggestions"),
  // Tab completes an emote code, or an @name of someone in the chat.
  completions: function (prefix) {
    if (prefix.startsWith("@")) {
      const names = new Set(hereNow.map(function (login) { return "@" + login; }));
      log.querySelectorAll(".chat-line[data-login] .chat-name").forEach(function (node) {
        names.add("@" + node.textContent);
      });
      return Array.from(names).sort();
    }
    return Object.values(config.emotes).map(function (emote) { return emote.code; }).sort();
  },
  replying: config.me && {
    bar: document.getElementById("chat-replying"),
    label: document.getElementById("chat-replying-to"),
    cancel: document.getElementById("chat-reply-cancel"),
  },
});

// Banned or timed out when the page loaded: the box says so from the start.
if (config.restriction) {
  const until = config.restriction.until ? Date.parse(config.restriction.until) : null;
  composer.restrict(config.restriction.message, until);
}

// ---- settings, kept in this browser ---------------------------------------------------

const SETTINGS_KEY = "twitchy.chat-settings";
const settings = Object.assign({ timestamps: false, large: false, readable: true },
  JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}"));
const settingBoxes = {
  timestamps: document.getElementById("setting-timestamps"),
  large: document.getElementById("setting-large"),
  readable: document.getElementById("setting-readable"),
};
function applySettings() {
  document.body.classList.toggle("show-timestamps", settings.timestamps);
  document.body.classList.toggle("large-chat", settings.large);
  setReadableColors(settings.readable);
}
Object.entries(settingBoxes).forEach(function ([name, box]) {
  box.checked = settings[name];
  box.addEventListener("change", function () {
    settings[name] = box.checked;
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    applySettings();
  });
});
applySettings();
togglePanel("chat-settings-toggle", "chat-settings");

function togglePanel(buttonId, panelId) {
  const button = document.getElementById(buttonId);
  const panel = document.getElementById(panelId);
  if (!button || !panel) return;
  button.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    button.setAttribute("aria-expanded", String(!panel.hidden));
    if (pinned) log.scrollTop = log.scrollHeight; // the chat, shorter or taller, stays at its end
  });
}

// ---- the emote picker: every emote this room has, a click puts its code in the box -----

const picker = document.getElementById("emote-picker");
if (picker) {
  const box = document.getElementById("chat-text");
  Object.values(config.emotes)
    .sort(function (a, b) { return a.code.localeCompare(b.code); })
    .forEach(function (emote) {
      const pick = el("button", "emote-choice");
      pick.type = "button";
      pick.title = emote.code;
      pick.setAttribute("aria-label", emote.code);
      pick.append(image("emote", emote, emote.code));
      pick.addEventListener("click", function () {
        if (box.disabled) return;
        const before = box.value && !box.value.endsWith(" ") ? box.value + " " : box.value;
        box.value = before + emote.code + " ";
        box.dispatchEvent(new Event("input"));
        box.focus();
      });
      picker.append(pick);
    });
  togglePanel("emote-picker-toggle", "emote-picker");
}

// ---- who is here: the logged-in chatters, grouped by role as Twitch groups them --------

const chattersPanel = document.getElementById("chatters");
const GROUPS = [["broadcaster", "Broadcaster"], ["moderators", "Moderators"], ["vips", "VIPs"]];
function showChatters(frame) {
  const roles = config.roles || {};
  const placed = new Set();
  const groups = [];
  GROUPS.forEach(function ([key, title]) {
    const here = frame.chatters.filter(function (login) {
      return (roles[key] || []).includes(login) && !placed.has(login);
    });
    here.forEach(function (login) { placed.add(login); });
    groups.push([title, here]);
  });
  groups.push(["Chatters", frame.chatters.filter(function (login) { return !placed.has(login); })]);
  const nodes = [];
  groups.forEach(function ([title, logins]) {
    if (!logins.length) return;
    nodes.push(el("h3", "chatters-group", title + " (" + logins.length + ")"));
    const list = el("ul", "chatters-list");
    logins.forEach(function (login) { list.append(el("li", null, login)); });
    nodes.push(list);
  });
  if (frame.chatter_count > frame.chatters.length) {
    nodes.push(el("p", "chatters-more", "and " + (frame.chatter_count - frame.chatters.length)
      + " more"));
  }
  if (!nodes.length) nodes.push(el("p", "chatters-more", "Nobody logged in is here yet."));
  chattersPanel.replaceChildren(...nodes);
}
togglePanel("chatters-toggle", "chatters");

// ---- the user card: a click on a name -------------------------------------------------

const card = document.getElementById("user-card");
const csrf = document.querySelector("[name=csrfmiddlewaretoken]");

async function getJSON(path) {
  const response = await fetch(path, { credentials: "same-origin" });
  return response.ok ? response.json() : null;
}

async function openCard(login) {
  const about = await getJSON("/api/rooms/" + config.room + "/chatters/" + login + "/");
  if (!about) return;
  const roles = [];
  if (about.is_broadcaster) roles.push("Broadcaster");
  if (about.is_moderator) roles.push("Moderator");
  if (about.is_vip) roles.push("VIP");
  if (about.subscriber_months) roles.push("Subscriber for " + about.subscriber_months + " months");
  if (about.is_verified_bot) roles.push("Verified bot");
  const name = el("h2", "card-name", about.display_name);
  paintName(name, about.color);
  const nodes = [name, el("p", "card-roles", roles.join(" · ") || "Chatter"),
    el("p", "card-age", "Account created " + about.account_age_days + " days ago")];
  if (config.moderator && about.login !== config.me) {
    const mod = await getJSON("/api/rooms/" + config.room + "/users/" + login + "/");
    if (mod) {
      const recent = el("ol", "card-recent");
      mod.recent_messages.slice(0, 5).forEach(function (message) {
        recent.append(el("li", null, message.original));
      });
      nodes.push(el("h3", null, "Recent messages"), recent);
      const actions = el("div", "card-actions");
      [["Timeout 10 min", { user: login, duration: 600 }], ["Ban", { user: login }]].forEach(
        function ([label, body]) {
          const button = el("button", "button small", label);
          button.type = "button";
          button.addEventListener("click", async function () {
            const response = await fetch("/api/rooms/" + config.room + "/bans/", {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json",
                         "X-CSRFToken": csrf ? csrf.value : "" },
              body: JSON.stringify(body),
            });
            const answer = await response.json().catch(function () { return {}; });
            systemLine(answer.notice || answer.message || "That did not work.");
            card.close();
          });
          actions.append(button);
        });
      nodes.push(actions);
    }
  }
  const close = el("button", "link-button card-close", "Close");
  close.type = "button";
  close.addEventListener("click", function () { card.close(); });
  nodes.push(close);
  card.replaceChildren(...nodes);
  card.showModal();
}
