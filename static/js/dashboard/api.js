// The dashboard's actions: the REST API, sent as the dashboard (audited with source
// "dashboard"), with what it answers shown in the feedback line.
import { el } from "../chat/render.js";

export const config = JSON.parse(document.getElementById("dashboard-config").textContent);
const feedback = document.getElementById("dash-feedback");
const csrf = document.querySelector("[name=csrfmiddlewaretoken]");
let feedbackTimer = null;

export function say(text, ok) {
  feedback.hidden = false;
  feedback.textContent = text;
  feedback.classList.toggle("ok", !!ok);
  clearTimeout(feedbackTimer);
  feedbackTimer = setTimeout(function () { feedback.hidden = true; }, 6000);
}

// Call the room's API; the parsed answer, or null after saying why it failed (the API's
// one error shape: docs/api.md).
export async function api(method, path, body) {
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
    say(data && data.message ? data.message : "That did not work (" + response.status + ").");
    return null;
  }
  if (data && data.notice) say(data.notice, true);
  return data;
}

export function button(label, title, onClick, className) {
  const node = el("button", "button small " + (className || ""), label);
  node.type = "button";
  node.title = title;
  node.addEventListener("click", onClick);
  return node;
}

// Timeout and ban buttons, for a chatter the dashboard's user may act on.
export function appendUserActions(box, author) {
  if (!author || author.login === config.broadcaster || author.login === config.me) return;
  const login = author.login;
  box.append(button("Timeout", "Time out " + login + " for 10 minutes", function () {
    api("POST", "bans/", { user: login, duration: 600 });
  }));
  box.append(button("Ban", "Ban " + login, function () {
    if (confirm("Ban " + login + " from this room?")) api("POST", "bans/", { user: login });
  }, "danger"));
}
