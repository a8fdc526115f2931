// Shared by the room page and the mod dashboard: building chat DOM safely.
// No user-written text is ever inserted as HTML: only textContent and DOM nodes.
window.TwitchyRender = (function () {
  "use strict";

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function image(className, urls, alt) {
    const img = el("img", className);
    img.src = urls["1x"];
    img.srcset = urls["1x"] + " 1x, " + urls["2x"] + " 2x";
    img.alt = alt;
    img.title = alt;
    return img;
  }

  // Text with emotes: positions are code points, first and last inclusive;
  // ``catalog`` maps an emote id to its image URLs.
  function renderText(container, text, emotes, catalog) {
    const chars = Array.from(text);
    const sorted = (emotes || []).slice().sort(function (a, b) { return a[1] - b[1]; });
    let at = 0;
    sorted.forEach(function (emote) {
      const [id, first, last] = emote;
      const info = catalog[id];
      if (!info || first < at) return;
      if (first > at) container.append(document.createTextNode(chars.slice(at, first).join("")));
      container.append(image("emote", info, chars.slice(first, last + 1).join("")));
      at = last + 1;
    });
    if (at < chars.length) container.append(document.createTextNode(chars.slice(at).join("")));
  }

  // Put ``li`` in sequence order among the log's lines (two processes may publish out
  // of order; an allowed message comes back with its old seq), then drop the oldest
  // lines beyond ``maxLines`` from the log and from ``lines`` (id -> <li>).
  function insertBySeq(log, li, seq, lines, maxLines) {
    lines.set(li.dataset.id, li);
    let before = null;
    for (let node = log.lastElementChild; node; node = node.previousElementSibling) {
      if (!node.dataset.seq || Number(node.dataset.seq) < seq) break;
      before = node;
    }
    log.insertBefore(li, before);
    while (log.children.length > maxLines) {
      lines.delete(log.firstElementChild.dataset.id);
      log.firstElementChild.remove();
    }
  }

  // Milliseconds before reconnect attempt ``attempt`` (1, 2, ...): 1 s, 2 s, 4 s ... at
  // most 30 s, with jitter so that a restart does not bring every client back at once.
  function backoff(attempt) {
    return Math.min(30000, 1000 * Math.pow(2, attempt - 1)) * (0.75 + Math.random() * 0.5);
  }

  // The frames one WebSocket message carries, in order: a ``batch``'s frames, or the frame
  // itself (an empty list for text that is not JSON).
  function framesOf(data) {
    let frame;
    try { frame = JSON.parse(data); } catch (err) { return []; }
    return frame.type === "batch" ? frame.frames : [frame];
  }

  // A message frame says, in ``prev``, the seq that everyone in the room got before it:
  // a client that has shown less than that missed something, and resumes.
  function missedBefore(frame, lastSeq) {
    return frame.type === "message" && typeof frame.prev === "number" && frame.prev > lastSeq;
  }

  return {
    el: el, image: image, renderText: renderText, insertBySeq: insertBySeq, backoff: backoff,
    framesOf: framesOf, missedBefore: missedBefore,
  };
})();
