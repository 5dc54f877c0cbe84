"""A webhook receiver for Alertmanager in the observability tier: appends each POST as one JSON
line {"path": ..., "body": ...} to FILE. usage: webhook-sink.py PORT FILE (binds 127.0.0.1)."""

import http.server
import json
import sys

port, out = int(sys.argv[1]), sys.argv[2]


class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        with open(out, "a") as f:
            f.write(json.dumps({"path": self.path, "body": json.loads(body or b"{}")}) + "\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Sink).serve_forever()
