// One client for the server's feeds (docs/protocol.md), shared by the room page and the
// mod dashboard: connect, reconnect with backoff, resume, and the gap check.

// Milliseconds before reconnect attempt ``attempt`` (1, 2, ...): 1 s, 2 s, 4 s ... at most
// 30 s, with jitter so that a restart does not bring every client back at once.
export function backoff(attempt) {
  return Math.min(30000, 1000 * Math.pow(2, attempt - 1)) * (0.75 + Math.random() * 0.5);
}

// The frames one WebSocket message carries, in order: a ``batch``'s frames, or the frame
// itself (none for text that is not JSON).
export function framesOf(data) {
  let frame;
  try { frame = JSON.parse(data); } catch (err) { return []; }
  return frame.type === "batch" ? frame.frames : [frame];
}

// A message frame says, in ``prev``, the seq that everyone in the room got before it: a
// client that has shown less than that missed something.
export function missedBefore(frame, lastSeq) {
  return frame.type === "message" && typeof frame.prev === "number" && frame.prev > lastSeq;
}

// Open the feed at ``path`` and keep it open. ``onFrame(frame)`` gets every frame in order;
// ``onStatus(text)`` what to tell the user about the connection ("" when all is well).
// ``resume``: reconnect with ``?since=<last seq>`` (the room page); otherwise a fresh
// snapshot fills any gap (the dashboard). ``final``: close codes after which it does not
// come back, with what to say (4404: the room is gone...).
export function openFeed({ path, onFrame, onStatus, resume = true, final = {} }) {
  const feed = { lastSeq: 0, socket: null, attempt: 0 };

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const since = resume && feed.lastSeq ? "?since=" + feed.lastSeq : "";
    const socket = (feed.socket = new WebSocket(scheme + location.host + path + since));
    socket.addEventListener("open", function () {
      feed.attempt = 0;
      onStatus("");
    });
    socket.addEventListener("message", function (event) {
      const frames = framesOf(event.data);
      for (let i = 0; i < frames.length; i++) {
        const frame = frames[i];
        if (frame.type === "reconnect") {
          feed.restarting = true; // the server's close follows: come back at once
          continue;
        }
        if (missedBefore(frame, feed.lastSeq)) {
          socket.close(4000, "missed a message"); // the reconnection brings what was missed
          return;
        }
        track(frame);
        onFrame(frame);
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code in final) {
        onStatus(final[event.code]);
        return;
      }
      if (feed.restarting || event.code === 1012) {
        // A restart (a deploy): another server takes us at once. Within a second,
        // spread out, so that its clients do not all arrive together.
        feed.restarting = false;
        onStatus("Reconnecting…");
        setTimeout(connect, Math.random() * 1000);
        return;
      }
      feed.attempt += 1;
      const delay = backoff(feed.attempt);
      onStatus("Reconnecting… (" + Math.round(delay / 1000) + "s)");
      setTimeout(connect, delay);
    });
  }

  // The highest seq of the room's stream this client has.
  function track(frame) {
    if (frame.type === "history" || frame.type === "resync" || frame.type === "dashboard") {
      feed.lastSeq = frame.last_seq;
    } else if (frame.type === "message" && frame.prev !== undefined) {
      feed.lastSeq = Math.max(feed.lastSeq, frame.message.seq);
    }
  }

  feed.send = function (frame) {
    if (!feed.socket || feed.socket.readyState !== WebSocket.OPEN) return false;
    feed.socket.send(JSON.stringify(frame));
    return true;
  };
  connect();
  return feed;
}
