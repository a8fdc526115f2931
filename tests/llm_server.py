"""A small OpenAI-compatible chat-completions server on loopback, for the tests.

It answers ``POST /v1/chat/completions`` from a script of behaviours the test
sets (``reply``, ``status``, ``delay``, ``garbage``), and records every request.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self) -> None:
        self.reply = "ok"
        self.status = 200
        self.delay = 0.0
        self.garbage = False
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                server.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                if server.delay:
                    time.sleep(server.delay)
                if self.path != "/v1/chat/completions":
                    self.send_error(404)
                    return
                if server.status != 200:
                    self.send_error(server.status)
                    return
                body = (
                    b"<html>oops</html>"
                    if server.garbage
                    else json.dumps(
                        {
                            "object": "chat.completion",
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": server.reply},
                                }
                            ],
                        }
                    ).encode()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._http.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def message(self) -> dict:
        return {"role": "assistant", "content": self.reply}

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
