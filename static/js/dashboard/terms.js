// Blocked terms: the room's own (removable here) and the global ones.
import { el } from "../chat/render.js";
import { api, button, say } from "./api.js";

const form = document.getElementById("term-form");
const list = document.getElementById("term-list");

export function showTerms(terms) {
  list.replaceChildren();
  terms.forEach(function (term) {
    const li = el("li", "term");
    li.append(el("code", null, term.pattern));
    if (term.global) li.append(el("span", "muted", " (every room)"));
    else {
      li.append(button("Remove", "Stop blocking " + term.pattern, function () {
        api("DELETE", "blocked-terms/" + term.id + "/").then(loadTerms);
      }));
    }
    list.append(li);
  });
  if (!terms.length) list.append(el("li", "empty", "No blocked terms."));
}

export function loadTerms() {
  return api("GET", "blocked-terms/").then(function (terms) { if (terms) showTerms(terms); });
}

form.addEventListener("submit", function (event) {
  event.preventDefault();
  const input = form.elements.pattern;
  api("POST", "blocked-terms/", { pattern: input.value }).then(function (term) {
    if (!term) return;
    input.value = "";
    say("Blocked “" + term.pattern + "”.", true);
    loadTerms();
  });
});
