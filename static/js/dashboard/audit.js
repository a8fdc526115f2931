// The audit log panel: filters, paging back, and new entries as they happen.
import { el, timeNode } from "../chat/render.js";
import { api } from "./api.js";

const list = document.getElementById("audit-list");
const filtersForm = document.getElementById("audit-filters");
const older = document.getElementById("audit-older");
const PAGE = 100;
let filterTimer = null;

export function auditLine(entry) {
  const li = el("li", "audit-entry");
  li.dataset.id = entry.id;
  li.append(timeNode(entry.created_at, true), el("strong", null, " " + (entry.actor || "AutoMod")),
    el("span", "audit-action", " " + entry.action.replaceAll("_", " ")));
  if (entry.target) li.append(el("span", null, " " + entry.target));
  if (entry.duration_seconds) li.append(el("span", null, " for " + entry.duration_seconds + " s"));
  if (entry.reason) li.append(el("span", "muted", " · " + entry.reason));
  li.append(el("span", "badge-source", entry.source));
  return li;
}

function filters() {
  const params = new URLSearchParams();
  Array.from(filtersForm.elements).forEach(function (input) {
    if (input.value.trim()) params.set(input.name, input.value.trim().toLowerCase());
  });
  return params;
}

function matches(entry) {
  const f = filters();
  if (f.get("action") && entry.action !== f.get("action")) return false;
  if (f.get("source") && entry.source !== f.get("source")) return false;
  if (f.get("actor") && (entry.actor || "automod") !== f.get("actor")) return false;
  if (f.get("target") && entry.target !== f.get("target").replace(/^@/, "")) return false;
  return true;
}

function show(entries) {
  list.replaceChildren(...entries.map(auditLine));
  if (!entries.length) list.append(el("li", "empty", "No entries."));
  older.hidden = entries.length < PAGE;
}

function reload() {
  api("GET", "audit/?" + filters().toString()).then(function (entries) {
    if (entries) show(entries);
  });
}

// The snapshot's entries, unless filters are set (then the filtered ones, from the API).
export function resetAudit(entries) {
  if (filters().toString()) reload();
  else show(entries);
}

export function addAuditEntry(entry) {
  if (!matches(entry)) return;
  const empty = list.querySelector(".empty");
  if (empty) empty.remove();
  list.prepend(auditLine(entry));
}

older.addEventListener("click", function () {
  const last = list.querySelector(".audit-entry:last-child");
  if (!last) return;
  const params = filters();
  params.set("before", last.dataset.id);
  api("GET", "audit/?" + params.toString()).then(function (entries) {
    if (!entries) return;
    entries.forEach(function (entry) { list.append(auditLine(entry)); });
    older.hidden = entries.length < PAGE;
  });
});
filtersForm.addEventListener("input", function () {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(reload, 250);
});
filtersForm.addEventListener("submit", function (event) { event.preventDefault(); });
