// The user card: what a moderator needs to judge a chatter, and the actions on them.
import { el, paintName, timeNode } from "../chat/render.js";
import { api, button, config } from "./api.js";
import { auditLine } from "./audit.js";

const card = document.getElementById("user-card");
const body = document.getElementById("card-body");
let shownLogin = null;

// A chatter's name, as a button that opens their card.
export function nameNode(author) {
  if (!author) return el("span", "chat-name", "deleted user");
  const name = el("button", "chat-name link-button", author.display_name);
  name.type = "button";
  paintName(name, author.color);
  name.title = "Open " + author.login + "'s user card";
  name.addEventListener("click", function () { openCard(author.login); });
  return name;
}

export function openCard(login) {
  shownLogin = login;
  api("GET", "users/" + encodeURIComponent(login) + "/").then(function (data) {
    if (data) showCard(data);
  });
}

// The card of ``login``, if it is open, read again (something happened to them).
export function refreshCard(login) {
  if (shownLogin === login) openCard(login);
}

function roleFacts(user) {
  const roles = [];
  if (user.is_broadcaster) roles.push("broadcaster");
  if (user.is_moderator) roles.push("moderator");
  if (user.is_vip) roles.push("VIP");
  if (user.subscriber_tier) {
    roles.push("tier " + user.subscriber_tier + " subscriber, " + user.subscriber_months + " months");
  }
  return "Account " + user.account_age_days + " days old" + (roles.length ? " · " + roles.join(", ") : "");
}

function standingFacts(user) {
  const standing = [];
  if (user.banned) standing.push("banned");
  if (user.timed_out_until) {
    standing.push("timed out until " + new Date(user.timed_out_until).toLocaleString());
  }
  if (user.shadow_banned) standing.push("shadow-banned");
  return standing.join(" · ");
}

function actionsFor(user) {
  const actions = el("div", "card-actions");
  if (user.is_broadcaster || user.login === config.me) return actions;
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
  return actions;
}

function showCard(user) {
  card.hidden = false;
  const title = el("h3", null, user.display_name);
  paintName(title, user.color);
  body.replaceChildren(title, el("p", "muted", roleFacts(user)));
  const standing = standingFacts(user);
  if (standing) body.append(el("p", "standing", standing));
  body.append(actionsFor(user));

  body.append(el("h4", null, "Recent messages"));
  const recent = el("ol", "card-messages");
  user.recent_messages.forEach(function (m) {
    const li = el("li", "state-" + m.state);
    li.append(timeNode(m.sent_at, true), el("span", null, " " + m.original));
    if (m.state !== "visible") li.append(el("span", "muted", " (" + m.state + ")"));
    recent.append(li);
  });
  if (!user.recent_messages.length) recent.append(el("li", "empty", "None in this room."));
  body.append(recent);

  body.append(el("h4", null, "Past actions"));
  const past = el("ol", "audit-list");
  user.actions.forEach(function (entry) { past.append(auditLine(entry)); });
  if (!user.actions.length) past.append(el("li", "empty", "None."));
  body.append(past);
  body.append(button("Close", "Close the card", function () {
    card.hidden = true;
    shownLogin = null;
  }));
  title.tabIndex = -1;
  title.focus();
}
