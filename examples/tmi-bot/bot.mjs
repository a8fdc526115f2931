// A Twitch chat bot, as written for Twitch with tmi.js, run against Twitchy Chat: only the
// server's host and port differ (docs/irc.md). It answers "!hello"; as a moderator it deletes
// offers to sell followers or viewers and times their senders out; and it says what happens
// in the room, one JSON object per line on stdout.
//
//   TWITCHY_HOST=127.0.0.1 TWITCHY_PORT=8000 TWITCHY_LOGIN=mybot \
//   TWITCHY_TOKEN=<token from POST /api/auth/token/> TWITCHY_ROOM=bestie_lounge node bot.mjs
import tmi from "tmi.js";

const env = process.env;
const room = env.TWITCHY_ROOM || "bestie_lounge";
const client = new tmi.Client({
  connection: {
    server: env.TWITCHY_HOST || "127.0.0.1",
    port: Number(env.TWITCHY_PORT || 8000),
    secure: env.TWITCHY_SECURE === "1",
    reconnect: true,
    reconnectInterval: 500,
  },
  identity: { username: env.TWITCHY_LOGIN, password: "oauth:" + env.TWITCHY_TOKEN },
  channels: [room],
});

const SELLING = /\b(buy|cheap|free)\s+(followers|viewers|views)\b/i;

function report(event, details = {}) {
  console.log(JSON.stringify({ event, ...details }));
}

client.on("join", (channel, username, self) => {
  if (self) report("joined", { channel });
});
client.on("message", (channel, tags, text, self) => {
  if (self) return;
  report("message", { channel, user: tags.username, id: tags.id, text, mod: tags.mod });
  const moderator = client.isMod(channel, env.TWITCHY_LOGIN); // from its USERSTATE
  if (moderator && !tags.mod && SELLING.test(text)) {
    // tmi.js's moderation calls resolve on the NOTICE Twitch sends back for each.
    Promise.all([
      client.deletemessage(channel, tags.id),
      client.timeout(channel, tags.username, 60, "selling followers"),
    ])
      .then(() => report("moderated", { channel, user: tags.username, id: tags.id }))
      .catch((err) => report("error", { err: String(err) }));
    return;
  }
  if (text.trim().toLowerCase().startsWith("!hello")) {
    client.say(channel, `hi @${tags["display-name"]}`).catch((err) => report("error", { err: String(err) }));
  }
});
client.on("timeout", (channel, username, reason, duration) => report("timeout", { channel, user: username, duration }));
client.on("ban", (channel, username) => report("ban", { channel, user: username }));
client.on("clearchat", (channel) => report("clearchat", { channel }));
client.on("messagedeleted", (channel, username, text, tags) => report("deleted", { channel, user: username, id: tags["target-msg-id"] }));
client.on("notice", (channel, msgid, message) => report("notice", { channel, msgid, message }));
client.on("raw_message", (clone, message) => {
  if (message.command === "RECONNECT") report("reconnect_requested");
});
client.on("reconnect", () => report("reconnecting"));
client.on("disconnected", (reason) => report("disconnected", { reason }));

client.connect().catch((err) => {
  report("failed", { err: String(err) });
  process.exit(1);
});
