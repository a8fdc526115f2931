// Twitchy Chat room page: the browser side of docs/protocol.md.
// No user-written text is ever inserted as HTML: only textContent and DOM nodes.
(function () {
  "use strict";

  const { el, image, renderText, insertBySeq, backoff } = window.TwitchyRender;
  const config = JSON.parse(document.getElementById("chat-config").textContent);
  const log = document.getElementById("chat-log");
  const status = document.getElementById("chat-status");
  const moreBelow = document.getElementById("more-below");
  const viewerCount = document.getElementById("viewer-count");
  const modes = document.getElementById("room-modes");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-text");
  const counter = document.getElementById("chat-counter");
  const refusal = document.getElementById("chat-refusal");

  const MAX_LINES = 300;
  const lines = new Map(); // message id -> <li>
  let lastSeq = 0;
  let socket = null;
  let attempt = 0;
  let pinned = true; // follow new messages unless the reader scrolled up
  let refusalTimer = null;
  const pending = new Map(); // nonce -> text
  const originals = new Map(Object.entries(config.originals || {})); // my message id -> what I wrote

  // ---- rendering -------------------------------------------------------

  function renderLine(message) {
    const li = el("li", "chat-line");
    li.dataset.id = message.id;
    li.dataset.seq = message.seq;
    const sent = new Date(message.sent_at);
    const time = el("time", null, sent.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    time.dateTime = message.sent_at;
    time.title = sent.toLocaleString();
    li.append(time);
    const author = message.author;
    if (author) {
      li.dataset.author = author.id;
      li.dataset.login = author.login;
      author.badges.forEach(function (badge) {
        const info = config.badges[badge[0] + "/" + badge[1]];
        if (info) li.append(image("badge", info, info.title));
      });
      const name = el("span", "chat-name", author.display_name);
      name.style.color = author.color;
      li.append(name);
    } else {
      li.append(el("span", "chat-name", "deleted user"));
    }
    li.append(el("span", "chat-colon", ":"));
    const body = el("span", "chat-text");
    renderText(body, message.text, message.emotes, config.emotes);
    li.append(body);
    showOriginal(li, message.id);
    return li;
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
      if (shown.classList.contains("deleted")) {
        const fresh = renderLine(message);
        shown.replaceWith(fresh);
        lines.set(message.id, fresh);
      }
      return;
    }
    insertBySeq(log, renderLine(message), message.seq, lines, MAX_LINES);
    lastSeq = Math.max(lastSeq, message.seq);
    afterAppend();
  }

  function markDeleted(li) {
    li.classList.add("deleted");
    li.querySelector(".chat-text").replaceChildren("<message deleted>");
  }

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

  // ---- scrolling -------------------------------------------------------

  function atBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  function afterAppend() {
    if (pinned) log.scrollTop = log.scrollHeight;
    else moreBelow.hidden = false;
  }

  log.addEventListener("scroll", function () {
    pinned = atBottom();
    if (pinned) moreBelow.hidden = true;
  });
  moreBelow.addEventListener("click", function () {
    pinned = true;
    log.scrollTop = log.scrollHeight;
    moreBelow.hidden = true;
  });

  // ---- frames from the server -------------------------------------------

  function showModes(state) {
    const on = [];
    if (state.slow_mode_seconds) on.push("Slow " + state.slow_mode_seconds + "s");
    if (state.emote_only) on.push("Emote-only");
    if (state.subscribers_only) on.push("Subscribers-only");
    if (state.unique_chat) on.push("Unique chat");
    if (state.pre_moderation) on.push("Pre-moderated");
    modes.textContent = on.join(" · ");
  }

  function showRefusal(frame) {
    clearInterval(refusalTimer);
    refusal.hidden = false;
    if (!frame.retry_after) {
      refusal.textContent = frame.message;
      return;
    }
    const until = Date.now() + frame.retry_after * 1000;
    function tick() {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(refusalTimer);
        refusal.hidden = true;
        return;
      }
      refusal.textContent = frame.message + " (" + left + "s)";
    }
    tick();
    refusalTimer = setInterval(tick, 250);
  }

  const handlers = {
    history: function (frame) {
      lastSeq = frame.last_seq;
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
      lastSeq = frame.last_seq;
      resetLog(frame.messages);
      systemLine("You were away for a while: showing the latest messages.");
    },
    message: function (frame) {
      addMessage(frame.message);
      if (frame.prev !== undefined) lastSeq = Math.max(lastSeq, frame.message.seq);
    },
    update: function (frame) {
      const li = lines.get(frame.id);
      if (!li || li.classList.contains("deleted")) return; // a late rewrite never revives a line
      const body = li.querySelector(".chat-text");
      body.replaceChildren();
      renderText(body, frame.text, frame.emotes, config.emotes);
      showOriginal(li, frame.id);
    },
    delete: function (frame) {
      const li = lines.get(frame.id);
      if (li) markDeleted(li);
    },
    clear_chat: function () {
      log.replaceChildren();
      lines.clear();
      systemLine("Chat was cleared by a moderator.");
    },
    clear_user: function (frame) {
      log.querySelectorAll('[data-author="' + Number(frame.user_id) + '"]').forEach(markDeleted);
    },
    room_state: showModes,
    presence: function (frame) { viewerCount.textContent = frame.viewers.toLocaleString(); },
    ack: function (frame) {
      originals.set(frame.id, frame.original);
      const line = lines.get(frame.id);
      if (line) showOriginal(line, frame.id);
      if (pending.get(frame.nonce) === input.value.trim()) {
        input.value = "";
        updateCounter();
      }
      pending.delete(frame.nonce);
      refusal.hidden = true;
      if (frame.state === "pending") systemLine("This room is pre-moderated: your message shows once it is approved.");
    },
    error: function (frame) {
      if (frame.nonce) pending.delete(frame.nonce);
      showRefusal(frame);
    },
    original: function (frame) {
      originals.set(frame.id, frame.original);
      const li = lines.get(frame.id);
      if (li) showOriginal(li, frame.id);
    },
    notice: function (frame) {
      if (frame.nonce) {
        if (pending.get(frame.nonce) === input.value.trim()) {
          input.value = "";
          updateCounter();
        }
        pending.delete(frame.nonce);
        refusal.hidden = true;
      }
      systemLine(frame.message);
    },
    pong: function () {},
  };

  // ---- the connection --------------------------------------------------

  function setStatus(text) {
    status.hidden = !text;
    status.textContent = text || "";
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + location.host + config.socket + (lastSeq ? "?since=" + lastSeq : "");
    socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      attempt = 0;
      setStatus("");
    });
    socket.addEventListener("message", function (event) {
      const frames = TwitchyRender.framesOf(event.data);
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i];
        if (TwitchyRender.missedBefore(frame, lastSeq)) {
          // A gap: reconnect with ?since=lastSeq, which brings exactly what was missed.
          socket.close(4000, "missed a message");
          return;
        }
        const handler = handlers[frame.type];
        if (handler) handler(frame);
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4404) {
        setStatus("This room no longer exists.");
        return;
      }
      attempt += 1;
      const delay = backoff(attempt);
      setStatus("Reconnecting… (" + Math.round(delay / 1000) + "s)");
      setTimeout(connect, delay);
    });
  }

  // ---- sending -----------------------------------------------------------

  function updateCounter() {
    if (!counter) return;
    const length = Array.from(input.value).length;
    counter.textContent = length + "/" + config.maxLength;
    counter.classList.toggle("near-limit", length > config.maxLength * 0.9);
    counter.classList.toggle("at-limit", length >= config.maxLength);
  }

  function nonce() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  function send() {
    const text = input.value.trim();
    if (!text) return;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      showRefusal({ message: "Not connected yet: your message was not sent." });
      return;
    }
    const id = nonce();
    pending.set(id, text);
    socket.send(JSON.stringify({ type: "send", text: text, nonce: id }));
  }

  if (config.me) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        send();
      }
    });
    input.addEventListener("input", updateCounter);
  } else {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  resetLog(config.messages);
  connect();
})();
