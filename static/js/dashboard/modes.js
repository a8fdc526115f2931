// The room's modes and AutoMod level: shown as they are, changed through the API.
import { api, config, say } from "./api.js";

const form = document.getElementById("modes-form");

export function showModes(state) {
  const fields = form.elements;
  ["emote_only", "subscribers_only", "unique_chat", "pre_moderation"].forEach(function (name) {
    fields[name].checked = !!state[name];
  });
  if (document.activeElement !== fields.slow_mode_seconds) {
    fields.slow_mode_seconds.value = state.slow_mode_seconds;
  }
  if (state.automod_level !== undefined) fields.automod_level.value = String(state.automod_level);
}

form.addEventListener("change", function (event) {
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
form.addEventListener("submit", function (event) { event.preventDefault(); });

// How the room's LLM rewrites went: from the snapshot, then every half minute.
const rewriteStats = document.getElementById("rewrite-stats");

export function showRewrites(stats) {
  if (!stats) return;
  const total = stats.rewritten + stats.kept + stats.skipped + stats.failed;
  rewriteStats.textContent = total === 0 ? "LLM rewrites: none yet." :
    "LLM rewrites: " + stats.rewritten + " rewritten, " + stats.kept + " kept instant (refused by the checks), " +
    stats.skipped + " skipped (too late to matter), " + stats.failed + " failed.";
}

setInterval(function () {
  // Quietly: a missed refresh is no news for the moderator (the status shows the link).
  fetch(config.api + "rewrites/", { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(showRewrites, function () {});
}, 30000);
