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

  return { el: el, image: image, renderText: renderText };
})();
