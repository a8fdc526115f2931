"""Load generator: many viewers on one room, messages sent through the REST API.

Measures what a room of viewers notices: how many message deliveries per second
reach them and how long a message takes from the send to each screen (p50 / p99),
plus the server's memory per open connection.

    python bench/chat_load.py --url http://127.0.0.1:8000 --room bestie_lounge \
        --login streamer --password <from var/demo-users.txt> --viewers 1000 --messages 200

The server must allow the send rate: run it with API_USER_RATE=100000/min. Only
loopback targets are used; every loop is bounded in count and time.
"""

import argparse
import asyncio
import json
import statistics
import time
import urllib.request
import uuid

import psutil
import websockets


def _post(url: str, body: dict, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return json.loads(response.read())


async def viewer(url: str, received: list[tuple[str, float]], ready, done) -> None:
    origin = url.split("/ws/")[0].replace("ws://", "http://")
    headers = {"Origin": origin}
    async with websockets.connect(url, additional_headers=headers, max_queue=None) as socket:
        ready()
        while not done.is_set():
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=1)
            except TimeoutError:
                continue
            now = time.perf_counter()
            frame = json.loads(raw)
            if frame["type"] == "message":
                received.append((frame["message"]["id"], now))


async def main(args: argparse.Namespace) -> None:
    base = args.url.rstrip("/")
    token = _post(f"{base}/api/auth/token/", {"username": args.login, "password": args.password})[
        "token"
    ]
    server = psutil.Process(args.server_pid) if args.server_pid else None
    rss_before = server.memory_info().rss if server else 0

    ws_url = base.replace("http://", "ws://") + f"/ws/rooms/{args.room}/"
    sent_at: dict[str, float] = {}  # message id -> when its send began
    received: list[tuple[str, float]] = []
    done = asyncio.Event()
    connected = 0

    def ready() -> None:
        nonlocal connected
        connected += 1

    tasks = []
    for n in range(args.viewers):
        tasks.append(asyncio.create_task(viewer(ws_url, received, ready, done)))
        if n % 50 == 49:
            await asyncio.sleep(0.05)
    deadline = time.monotonic() + 120
    while connected < args.viewers and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(3)  # let the presence announcements pass
    rss_after = server.memory_info().rss if server else 0

    loop = asyncio.get_running_loop()
    run = uuid.uuid4().hex[:6]
    started = time.perf_counter()
    send_times = []
    for n in range(args.messages):
        t0 = time.perf_counter()
        stored = await loop.run_in_executor(None, _post, f"{base}/api/rooms/{args.room}/messages/",
                                            {"text": f"bench {run} {n}"}, token)  # fmt: skip
        sent_at[stored["id"]] = t0
        send_times.append(time.perf_counter() - t0)
        await asyncio.sleep(max(0.0, 1 / args.rate - (time.perf_counter() - t0)))
    expected = args.messages * connected
    deadline = time.monotonic() + 30
    while len(received) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    elapsed = time.perf_counter() - started
    done.set()
    await asyncio.gather(*tasks, return_exceptions=True)

    latencies = sorted(at - sent_at[mid] for mid, at in received if mid in sent_at)
    print(f"viewers connected      {connected} / {args.viewers}")
    if server:
        per = (rss_after - rss_before) / max(1, connected)
        memory = f"{rss_after / 2**20:.0f} MiB ({per / 1024:.1f} KiB per connection)"
        print(f"server memory          {memory}")
    print(f"messages sent          {args.messages} at {args.rate}/s (send mean "
          f"{statistics.fmean(send_times) * 1000:.1f} ms)")  # fmt: skip
    print(f"deliveries             {len(latencies)} / {expected} "
          f"({len(latencies) / elapsed:.0f} per second)")  # fmt: skip
    if latencies:
        p = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000  # noqa: E731
        print(
            f"send-to-screen latency p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {p(1):.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--room", default="bestie_lounge")
    parser.add_argument("--login", default="streamer")
    parser.add_argument("--password", required=True)
    parser.add_argument("--viewers", type=int, default=500)
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20, help="messages per second")
    parser.add_argument("--server-pid", type=int, help="daphne's pid, to measure its memory")
    arguments = parser.parse_args()
    if not arguments.url.startswith(("http://127.", "http://localhost")):
        parser.error("the benchmark only targets this machine (127.0.0.0/8 or localhost)")
    asyncio.run(main(arguments))
