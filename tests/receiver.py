"""A merchant's server on loopback for tests: records callbacks, answers as told."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.calls = []
        self.answer = lambda call: (200, b"ok")
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                call = {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
                receiver.calls.append(call)
                status, payload = receiver.answer(call)
                self._send(status, payload)

            def do_GET(self):
                self._send(
                    200, b"<html><body><h1>Back at the merchant</h1></body></html>", "text/html"
                )

            def _send(self, status, payload, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(call["body"])["type"] for call in self.calls]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
