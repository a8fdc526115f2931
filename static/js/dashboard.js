// Twitchy Chat mod dashboard: live over /ws/mod/<room>/, actions through /api/.
// No user-written text is ever inserted as HTML: only textContent and DOM nodes.
(function () {
  "use strict";

  const { el, renderText, insertBySeq, backoff } = window.TwitchyRender;
  const config = JSON.parse(document.getElementById("dashboard-config").textContent);
  const log = document.getElementById("dash-log");
  const status = document.getElementById("dash-status");
  const feedback = document.getElementById("dash-feedback");
  const heldList = document.getElementById("held-list");
  const heldCount = document.getElementById("held-count");
  const heldEmpty = document.getElementById("held-empty");
  const modesForm = document.getElementById("modes-form");
  const termForm = document.getElementById("term-form");
  const termList = document.getElementById("term-list");
  const auditList = document.getElementById("audit-list");
  const auditFilters = document.getElementById("audit-filters");
  const auditOlder = document.getElementById("audit-older");
  const card = document.getElementById("user-card");
  const cardBody = document.getElementById("card-body");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]");

  const MAX_LINES = 500;
  const lines = new Map(); // message id -> <li>
  const held = new Map(); // message id -> <li>
  let attempt = 0;
  let cardLogin = null;

  function button(label, title, onClick, className) {
    const b = el("button", "button small " + (className || ""), label);
    b.type = "button";
    b.title = title;
    b.addEventListener("click", onClick);
    return b;
  }

  function time(iso) {
    const t = el("time", null, new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }));
    t.dateTime = iso;
    return t;
  }

  function say(text, ok) {
    feedback.hidden = false;
    feedback.textContent = text;
    feedback.classList.toggle("ok", !!ok);
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { feedback.hidden = true; }, 6000);
  }

  // ---- actions: the REST API, as the dashboard -----------------------------

  async function api(method, path, body) {
    const response = await fetch(config.api + path, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": csrf ? csrf.value : "",
        "X-Source": "dashboard",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    if (!response.ok) {
      let message = "That did not work (" + response.status + ").";
      if (data && data.message) message = data.message;
      else if (data && typeof data === "object") message = Object.values(data).flat().join(" ");
      say(message);
      return null;
    }
    if (data && data.notice) say(data.notice, true);
    return data;
  }

  function nameNode(author) {
    if (!author) return el("span", "chat-name", "deleted user");
    const name = el("button", "chat-name link-button", author.display_name);
    name.type = "button";
    name.style.color = author.color;
    name.title = "Open " + author.login + "'s user card";
    name.addEventListener("click", function () { openCard(author.login); });
    return name;
  }

  function actionsFor(message) {
    const box = el("span", "line-actions");
    box.append(button("Delete", "Delete this message", function () {
      api("DELETE", "messages/" + message.id + "/");
    }, "act-delete"));
    appendUserActions(box, message.author);
    return box;
  }

  // Timeout and ban, for a chatter the dashboard user may act on.
  function appendUserActions(box, author) {
    if (!author || author.login === config.broadcaster || author.login === config.me) return;
    const login = author.login;
    box.append(button("Timeout", "Time out " + login + " for 10 minutes", function () {
      api("POST", "bans/", { user: login, duration: 600 });
    }));
    box.append(button("Ban", "Ban " + login, function () {
      if (confirm("Ban " + login + " from this room?")) api("POST", "bans/", { user: login });
    }, "danger"));
  }

  // ---- the live chat ---------------------------------------------------------

  function renderLine(message) {
    const li = el("li", "chat-line dash-line");
    li.dataset.id = message.id;
    li.dataset.seq = message.seq;
    if (message.author) li.dataset.author = message.author.id;
    const head = el("div", "dash-line-head");
    head.append(time(message.sent_at), nameNode(message.author), actionsFor(message));
    const shown = el("div", "chat-text");
    renderText(shown, message.text, message.emotes, config.emotes);
    const original = el("div", "original");
    original.append(el("span", "label", "wrote "), el("span", "original-text", message.original || ""));
    li.append(head, shown, original);
    if (message.shadowed || message.state === "shadowed") li.classList.add("shadowed");
    if (message.state === "deleted" || message.state === "blocked") markDeleted(li);
    return li;
  }

  function addMessage(message) {
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

  function markDeleted(li) {
    li.classList.add("deleted");
    const remove = li.querySelector(".act-delete");
    if (remove) remove.disabled = true;
  }

  // ---- the held queue ---------------------------------------------------------

  function renderHeld(item) {
    const li = el("li", "held-item");
    li.dataset.id = item.id;
    const head = el("div", "dash-line-head");
    head.append(time(item.sent_at), nameNode(item.author));
    const state = item.state === "pending" ? "waiting for AutoMod" : "held: " + (item.reason || "by AutoMod");
    head.append(el("span", "held-reason", state));
    const text = el("div", "original-text", item.original);
    const scores = el("div", "scores");
    Object.entries(item.scores || {}).forEach(function ([name, value]) {
      const s = el("span", "score", name + " " + Number(value).toFixed(2));
      if (value >= 0.5) s.classList.add("high");
      scores.append(s);
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
    li.append(head, text, scores, actions);
    return li;
  }

  function upsertHeld(item) {
    const li = renderHeld(item);
    const existing = held.get(item.id);
    if (existing) existing.replaceWith(li);
    else heldList.append(li);
    held.set(item.id, li);
    updateHeldCount();
  }

  function removeHeld(id) {
    const li = held.get(id);
    if (li) li.remove();
    held.delete(id);
    updateHeldCount();
  }

  function updateHeldCount() {
    heldCount.textContent = held.size;
    heldEmpty.hidden = held.size > 0;
  }

  // ---- modes, terms, audit -------------------------------------------------------

  function showModes(state) {
    const f = modesForm.elements;
    ["emote_only", "subscribers_only", "unique_chat", "pre_moderation"].forEach(function (name) {
      f[name].checked = !!state[name];
    });
    if (document.activeElement !== f.slow_mode_seconds) f.slow_mode_seconds.value = state.slow_mode_seconds;
    if (state.automod_level !== undefined) f.automod_level.value = String(state.automod_level);
  }

  modesForm.addEventListener("change", function (event) {
    const input = event.target;
    let value;
    if (input.type === "checkbox") value = input.checked;
    else {
      value = Number(input.value);
      if (!Number.isInteger(value) || value < 0) {
        say("Give a whole number of seconds, 0 or more.");
        return;
      }
    }
    api("PATCH", "modes/", { [input.name]: value }).then(function (state) {
      if (state) showModes(state);
    });
  });
  modesForm.addEventListener("submit", function (event) { event.preventDefault(); });

  function showTerms(terms) {
    termList.replaceChildren();
    terms.forEach(function (term) {
      const li = el("li", "term");
      li.append(el("code", null, term.pattern));
      if (term.global) li.append(el("span", "muted", " (every room)"));
      else {
        li.append(button("Remove", "Stop blocking " + term.pattern, function () {
          api("DELETE", "blocked-terms/" + term.id + "/").then(loadTerms);
        }));
      }
      termList.append(li);
    });
    if (!terms.length) termList.append(el("li", "empty", "No blocked terms."));
  }

  function loadTerms() {
    return api("GET", "blocked-terms/").then(function (terms) { if (terms) showTerms(terms); });
  }

  termForm.addEventListener("submit", function (event) {
    event.preventDefault();
    const input = termForm.elements.pattern;
    api("POST", "blocked-terms/", { pattern: input.value }).then(function (term) {
      if (!term) return;
      input.value = "";
      say("Blocked “" + term.pattern + "”.", true);
      loadTerms();
    });
  });

  function auditLine(entry) {
    const li = el("li", "audit-entry");
    li.dataset.id = entry.id;
    li.append(time(entry.created_at), el("strong", null, " " + (entry.actor || "AutoMod")),
      el("span", "audit-action", " " + entry.action.replace("_", " ")));
    if (entry.target) li.append(el("span", null, " " + entry.target));
    if (entry.duration_seconds) li.append(el("span", null, " for " + entry.duration_seconds + " s"));
    if (entry.reason) li.append(el("span", "muted", " · " + entry.reason));
    li.append(el("span", "badge-source", entry.source));
    return li;
  }

  function filters() {
    const params = new URLSearchParams();
    Array.from(auditFilters.elements).forEach(function (input) {
      if (input.value.trim()) params.set(input.name, input.value.trim().toLowerCase());
    });
    return params;
  }

  function matchesFilters(entry) {
    const f = filters();
    if (f.get("action") && entry.action !== f.get("action")) return false;
    if (f.get("source") && entry.source !== f.get("source")) return false;
    if (f.get("actor") && (entry.actor || "automod") !== f.get("actor")) return false;
    if (f.get("target") && entry.target !== f.get("target").replace(/^@/, "")) return false;
    return true;
  }

  const AUDIT_PAGE = 100;

  function showAudit(entries) {
    auditList.replaceChildren(...entries.map(auditLine));
    if (!entries.length) auditList.append(el("li", "empty", "No entries."));
    auditOlder.hidden = entries.length < AUDIT_PAGE;
  }

  auditOlder.addEventListener("click", function () {
    const last = auditList.querySelector(".audit-entry:last-child");
    if (!last) return;
    const params = filters();
    params.set("before", last.dataset.id);
    api("GET", "audit/?" + params.toString()).then(function (entries) {
      if (!entries) return;
      entries.forEach(function (entry) { auditList.append(auditLine(entry)); });
      auditOlder.hidden = entries.length < AUDIT_PAGE;
    });
  });

  let auditTimer = null;
  auditFilters.addEventListener("input", function () {
    clearTimeout(auditTimer);
    auditTimer = setTimeout(function () {
      api("GET", "audit/?" + filters().toString()).then(function (entries) {
        if (entries) showAudit(entries);
      });
    }, 250);
  });
  auditFilters.addEventListener("submit", function (event) { event.preventDefault(); });

  // ---- the user card ------------------------------------------------------------

  function openCard(login) {
    cardLogin = login;
    api("GET", "users/" + encodeURIComponent(login) + "/").then(function (data) {
      if (data) showCard(data);
    });
  }

  function showCard(user) {
    card.hidden = false;
    cardBody.replaceChildren();
    const title = el("h3", null, user.display_name);
    title.style.color = user.color;
    const roles = [];
    if (user.is_broadcaster) roles.push("broadcaster");
    if (user.is_moderator) roles.push("moderator");
    if (user.is_vip) roles.push("VIP");
    if (user.subscriber_tier) roles.push("tier " + user.subscriber_tier + " subscriber, " + user.subscriber_months + " months");
    const facts = el("p", "muted", "Account " + user.account_age_days + " days old" + (roles.length ? " · " + roles.join(", ") : ""));
    const standing = [];
    if (user.banned) standing.push("banned");
    if (user.timed_out_until) standing.push("timed out until " + new Date(user.timed_out_until).toLocaleString());
    if (user.shadow_banned) standing.push("shadow-banned");
    cardBody.append(title, facts);
    if (standing.length) cardBody.append(el("p", "standing", standing.join(" · ")));

    const actions = el("div", "card-actions");
    if (!user.is_broadcaster && user.login !== config.me) {
      const login = user.login;
      const refresh = function () { openCard(login); };
      [["1 min", 60], ["10 min", 600], ["1 h", 3600], ["1 day", 86400]].forEach(function ([label, seconds]) {
        actions.append(button("Timeout " + label, "Time out " + login, function () {
          api("POST", "bans/", { user: login, duration: seconds }).then(refresh);
        }));
      });
      if (user.banned || user.timed_out_until) {
        actions.append(button("Unban", "Let " + login + " chat again", function () {
          api("DELETE", "bans/" + login + "/").then(refresh);
        }));
      } else {
        actions.append(button("Ban", "Ban " + login, function () {
          api("POST", "bans/", { user: login }).then(refresh);
        }, "danger"));
      }
      actions.append(user.shadow_banned
        ? button("Lift shadow ban", "Everyone sees " + login + " again", function () {
          api("DELETE", "shadow-bans/" + login + "/").then(refresh);
        })
        : button("Shadow-ban", "Only " + login + " sees what they write", function () {
          api("PUT", "shadow-bans/" + login + "/", { reason: "" }).then(refresh);
        }));
      if (config.isBroadcaster) {
        actions.append(button(user.is_moderator ? "Unmod" : "Mod", "Moderator role", function () {
          api(user.is_moderator ? "DELETE" : "PUT", "moderators/" + login + "/").then(refresh);
        }));
        actions.append(button(user.is_vip ? "Remove VIP" : "VIP", "VIP role", function () {
          api(user.is_vip ? "DELETE" : "PUT", "vips/" + login + "/").then(refresh);
        }));
      }
    }
    cardBody.append(actions);

    cardBody.append(el("h4", null, "Recent messages"));
    const recent = el("ol", "card-messages");
    user.recent_messages.forEach(function (m) {
      const li = el("li", "state-" + m.state);
      li.append(time(m.sent_at), el("span", null, " " + m.original));
      if (m.state !== "visible") li.append(el("span", "muted", " (" + m.state + ")"));
      recent.append(li);
    });
    if (!user.recent_messages.length) recent.append(el("li", "empty", "None in this room."));
    cardBody.append(recent);

    cardBody.append(el("h4", null, "Past actions"));
    const past = el("ol", "audit-list");
    user.actions.forEach(function (entry) { past.append(auditLine(entry)); });
    if (!user.actions.length) past.append(el("li", "empty", "None."));
    cardBody.append(past);
    cardBody.append(button("Close", "Close the card", function () { card.hidden = true; cardLogin = null; }));
  }

  // ---- frames ---------------------------------------------------------------------

  let lastSeq = 0; // the highest seq of the room's stream this page has

  const handlers = {
    dashboard: function (frame) {
      lastSeq = frame.last_seq;
      log.replaceChildren();
      lines.clear();
      frame.messages.forEach(addMessage);
      heldList.replaceChildren();
      held.clear();
      frame.held.forEach(upsertHeld);
      updateHeldCount();
      showModes(frame.room);
      showTerms(frame.blocked_terms);
      if (filters().toString()) auditFilters.dispatchEvent(new Event("input"));
      else showAudit(frame.audit);
    },
    message: function (frame) {
      addMessage(frame.message);
      if (frame.prev !== undefined) lastSeq = Math.max(lastSeq, frame.message.seq);
    },
    original: function (frame) {
      const li = lines.get(frame.id);
      if (li) li.querySelector(".original-text").textContent = frame.original;
    },
    update: function (frame) {
      const li = lines.get(frame.id);
      if (!li) return;
      const body = li.querySelector(".chat-text");
      body.replaceChildren();
      renderText(body, frame.text, frame.emotes, config.emotes);
    },
    delete: function (frame) {
      const li = lines.get(frame.id);
      if (li) markDeleted(li);
    },
    clear_user: function (frame) {
      log.querySelectorAll('[data-author="' + Number(frame.user_id) + '"]').forEach(markDeleted);
      if (cardLogin === frame.login) openCard(cardLogin);
    },
    clear_chat: function () {
      log.querySelectorAll(".dash-line").forEach(markDeleted);
    },
    room_state: showModes,
    held: function (frame) { upsertHeld(frame.item); },
    held_resolved: function (frame) { removeHeld(frame.id); },
    audit: function (frame) {
      if (!matchesFilters(frame.entry)) return;
      const empty = auditList.querySelector(".empty");
      if (empty) empty.remove();
      auditList.prepend(auditLine(frame.entry));
      if (frame.entry.action === "term_add" || frame.entry.action === "term_remove") loadTerms();
    },
  };

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + config.socket);
    socket.addEventListener("open", function () {
      attempt = 0;
      status.textContent = "Live";
      status.classList.add("live");
    });
    socket.addEventListener("message", function (event) {
      const frames = TwitchyRender.framesOf(event.data);
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i];
        if (TwitchyRender.missedBefore(frame, lastSeq)) {
          socket.close(4000, "missed a message"); // a fresh snapshot fills the gap
          return;
        }
        const handler = handlers[frame.type];
        if (handler) handler(frame);
      }
    });
    socket.addEventListener("close", function (event) {
      status.classList.remove("live");
      if (event.code === 4403) {
        status.textContent = "You no longer moderate this room.";
        return;
      }
      attempt += 1;
      const delay = backoff(attempt);
      status.textContent = "Reconnecting… (" + Math.round(delay / 1000) + "s)";
      setTimeout(connect, delay);
    });
  }

  connect();
})();
