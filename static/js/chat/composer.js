// The room page's message box: the character counter, sending with a nonce, and what the
// server answers (the ack clears the box; a refusal shows, counting down its retry_after).

function nonce() {
  return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
}

export function createComposer({
  form, input, counter, refusal, maxLength, send, replying, completions, suggestions,
}) {
  const pending = new Map(); // nonce -> text
  let lastSent = ""; // Up in an empty box brings it back
  let completing = null; // {start, matches, index} while Tab cycles through completions
  let refusalTimer = null;
  let replyTo = null; // the id of the message being answered

  // Answer a message: a bar above the box says which, until it is sent or cancelled.
  function replyToMessage(id, name) {
    if (!replying) return;
    replyTo = id;
    replying.label.textContent = "Replying to @" + name;
    replying.bar.hidden = false;
    input.focus();
  }

  function cancelReply() {
    replyTo = null;
    if (replying) replying.bar.hidden = true;
  }
  if (replying) replying.cancel.addEventListener("click", cancelReply);

  function updateCounter() {
    if (!counter) return;
    const length = Array.from(input.value).length;
    counter.textContent = length + "/" + maxLength;
    counter.classList.toggle("near-limit", length > maxLength * 0.9);
    counter.classList.toggle("at-limit", length >= maxLength);
  }

  function showRefusal(message, retryAfter) {
    clearInterval(refusalTimer);
    refusal.hidden = false;
    if (!retryAfter) {
      refusal.textContent = message;
      return;
    }
    const until = Date.now() + retryAfter * 1000;
    function tick() {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(refusalTimer);
        refusal.hidden = true;
        return;
      }
      refusal.textContent = message + " (" + left + "s)";
    }
    tick();
    refusalTimer = setInterval(tick, 250);
  }

  // The server answered the send ``id``: the box is cleared if it still holds that text.
  function answered(id) {
    if (pending.get(id) === input.value.trim()) {
      input.value = "";
      updateCounter();
    }
    pending.delete(id);
    refusal.hidden = true;
    cancelReply();
  }

  function submit() {
    const text = input.value.trim();
    if (!text) return;
    const id = nonce();
    const frame = { type: "send", text: text, nonce: id };
    if (replyTo) frame.reply_to = replyTo;
    if (!send(frame)) {
      showRefusal("Not connected yet: your message was not sent.");
      return;
    }
    pending.set(id, text);
    lastSent = text;
  }

  // What completes ``prefix``: "@na" a name, ":po" or "Po" an emote code (any case).
  function matching(prefix) {
    const key = (prefix.startsWith(":") ? prefix.slice(1) : prefix).toLowerCase();
    return completions(prefix).filter(function (word) {
      return word.toLowerCase().startsWith(key) && word !== prefix;
    });
  }

  // While the word being typed is ":" and two letters or more, the emotes it may be show
  // above the box; a click (or Tab) puts the code in its place.
  function suggest() {
    if (!suggestions || !completions) return;
    const caret = input.selectionStart;
    const start = input.value.lastIndexOf(" ", caret - 1) + 1;
    const word = input.value.slice(start, caret);
    const found = word.startsWith(":") && word.length >= 3 ? matching(word).slice(0, 8) : [];
    suggestions.replaceChildren(...found.map(function (code) {
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "suggestion";
      pick.textContent = code;
      pick.addEventListener("click", function () {
        input.value = input.value.slice(0, start) + code + " " + input.value.slice(caret);
        suggestions.hidden = true;
        updateCounter();
        input.focus();
      });
      return pick;
    }));
    suggestions.hidden = !found.length;
  }

  // Tab: complete the word before the caret (an emote code, or an @name) from
  // ``completions(prefix)``; Tab again cycles through the other matches.
  function complete() {
    if (!completions) return false;
    const caret = input.selectionStart;
    if (!completing) {
      const start = input.value.lastIndexOf(" ", caret - 1) + 1;
      const prefix = input.value.slice(start, caret);
      if (!prefix || prefix === ":") return false;
      const matches = matching(prefix);
      if (!matches.length) return false;
      completing = { start: start, matches: matches, index: 0 };
    } else {
      completing.index = (completing.index + 1) % completing.matches.length;
    }
    const word = completing.matches[completing.index] + " ";
    const rest = input.value.slice(input.selectionStart);
    input.value = input.value.slice(0, completing.start) + word + rest;
    const at = completing.start + word.length;
    input.setSelectionRange(at, at);
    updateCounter();
    if (suggestions) suggestions.hidden = true;
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!input.disabled) submit();
  });
  if (!input.hasAttribute("disabled")) {
    input.addEventListener("keydown", function (event) {
      if (event.key === "Tab" && !event.shiftKey) {
        if (complete()) event.preventDefault(); // otherwise Tab moves the focus, as usual
        return;
      }
      completing = null;
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        submit();
      } else if (event.key === "ArrowUp" && !input.value && lastSent) {
        event.preventDefault();
        input.value = lastSent;
        updateCounter();
      }
    });
    input.addEventListener("input", updateCounter);
    input.addEventListener("input", suggest);
  }

  // Banned or timed out: the box is off and says why, and until when (``until``: a time in
  // ms; none for a ban), then comes back on by itself.
  let restrictedTimer = null;
  const button = form.querySelector("button[type=submit]");
  function restrict(message, until) {
    clearTimeout(restrictedTimer);
    input.disabled = true;
    if (button) button.disabled = true;
    refusal.hidden = false;
    clearInterval(refusalTimer);
    if (!until) {
      refusal.textContent = message;
      return;
    }
    const at = new Date(until).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    refusal.textContent = message + " You can chat again at " + at + ".";
    restrictedTimer = setTimeout(lift, Math.max(0, until - Date.now()));
  }
  function lift() {
    input.disabled = false;
    if (button) button.disabled = false;
    refusal.hidden = true;
  }

  return {
    replyTo: replyToMessage,
    restrict: restrict,
    lift: lift,
    acked: function (frame) { answered(frame.nonce); },
    noticed: function (frame) { if (frame.nonce) answered(frame.nonce); },
    refused: function (frame) {
      if (frame.nonce) pending.delete(frame.nonce);
      if (frame.code === "banned") return restrict(frame.message);
      if (frame.code === "timed_out" && frame.retry_after) {
        return restrict(frame.message, Date.now() + frame.retry_after * 1000);
      }
      showRefusal(frame.message, frame.retry_after);
    },
  };
}
