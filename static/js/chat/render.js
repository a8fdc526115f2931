// Building chat DOM, shared by the room page and the mod dashboard.
// No user-written text is ever inserted as HTML: only textContent and DOM nodes.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function image(className, urls, alt) {
  const img = el("img", className);
  img.src = urls["1x"];
  img.srcset = urls["1x"] + " 1x, " + urls["2x"] + " 2x";
  img.alt = alt;
  img.title = alt;
  return img;
}

// An author's badges (``[set, version]`` pairs) as images; ``catalog`` maps "set/version" to
// the badge's title and image URLs. A badge the catalog lacks is left out.
export function appendBadges(node, badges, catalog) {
  badges.forEach(function ([set, version]) {
    const info = catalog && catalog[set + "/" + version];
    if (info) node.append(image("badge", info, info.title));
  });
}

// Text with emotes: positions are code points, first and last inclusive; ``catalog`` maps
// an emote id to its image URLs.
export function renderText(container, text, emotes, catalog) {
  container.replaceChildren();
  const chars = Array.from(text);
  const sorted = (emotes || []).slice().sort(function (a, b) { return a[1] - b[1]; });
  let at = 0;
  sorted.forEach(function ([id, first, last]) {
    const info = catalog[id];
    if (!info || first < at) return;
    if (first > at) container.append(document.createTextNode(chars.slice(at, first).join("")));
    container.append(image("emote", info, chars.slice(first, last + 1).join("")));
    at = last + 1;
  });
  if (at < chars.length) container.append(document.createTextNode(chars.slice(at).join("")));
}

// Put ``li`` in sequence order among the log's lines (two processes may publish out of
// order; an allowed message comes back with its old seq), then drop the oldest lines
// beyond ``maxLines`` from the log and from ``lines`` (id -> <li>).
export function insertBySeq(log, li, seq, lines, maxLines) {
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

export function timeNode(iso, withSeconds) {
  const at = new Date(iso);
  const shown = { hour: "2-digit", minute: "2-digit" };
  if (withSeconds) shown.second = "2-digit";
  const node = el("time", null, at.toLocaleTimeString([], shown));
  node.dateTime = iso;
  node.title = at.toLocaleString();
  return node;
}

// ---- name colours, readable on the theme in use ----------------------------------

// Chatters pick any colour; like Twitch, we show it lightened on the dark theme and
// darkened on the light one until it reaches a contrast of 4.5:1 with the chat's
// background (WCAG AA for text).
const MIN_CONTRAST = 4.5;
const lightTheme = window.matchMedia("(prefers-color-scheme: light)");

function channels(hex) {
  const value = parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function luminance(rgb) {
  const [r, g, b] = rgb.map(function (c) {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort(function (x, y) { return y - x; });
  return (hi + 0.05) / (lo + 0.05);
}

function background() {
  const value = getComputedStyle(document.documentElement).getPropertyValue("--panel").trim();
  return /^#[0-9a-f]{6}$/i.test(value) ? channels(value) : [24, 24, 27];
}

// ``hex`` (#rrggbb) moved towards white (dark theme) or black (light theme) in small
// steps until it reads on ``against`` (an [r, g, b] background).
export function readableColor(hex, against) {
  if (!/^#[0-9a-f]{6}$/i.test(hex || "")) return null;
  const target = luminance(against) < 0.5 ? 255 : 0;
  let rgb = channels(hex);
  for (let step = 0; step < 20 && contrast(rgb, against) < MIN_CONTRAST; step++) {
    rgb = rgb.map(function (c) { return Math.round(c + (target - c) * 0.15); });
  }
  return "#" + rgb.map(function (c) { return c.toString(16).padStart(2, "0"); }).join("");
}

// Colour a chatter's name; names keep their chosen colour in ``data-color`` so that a
// change of theme recolours them.
let adjust = true; // the reader's setting: names as chosen, or made readable (the default)

export function paintName(node, hex) {
  node.dataset.color = hex || "";
  const valid = /^#[0-9a-f]{6}$/i.test(hex || "");
  const shown = adjust ? readableColor(hex, background()) : valid ? hex : null;
  if (shown) node.style.color = shown;
}

// Readable name colours on (as Twitch's "Readable Colors") or off; every name again.
export function setReadableColors(on) {
  adjust = on;
  repaintNames();
}

// Names the server rendered (the top bar's) now, and every name again when the theme changes.
function repaintNames() {
  document.querySelectorAll("[data-color]").forEach(function (node) {
    paintName(node, node.dataset.color);
  });
}
repaintNames();
lightTheme.addEventListener("change", repaintNames);
