"""The one webhook receiver of the tiers (Alertmanager's receivers, the pipeline's notify step):
appends each POST as one JSON line {"path": ..., "body": ...} to FILE and answers 200.

usage: webhook-sink.py FILE [--port N] [--once]
  binds 127.0.0.1:N (without --port: a free port from ci/lib/ports.py, never port 0) and prints
  the port on the first line of stdout; --once: exits after one POST (exit 1 if none came in
  30 s). A body that is not JSON gets 400 and is not recorded.
"""

import argparse
import http.server
import json
import sys

import ports


def serve(out: str, port: int, once: bool) -> int:
    received = []

    class Sink(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self.send_response(400)
                self.end_headers()
                self.wfile.write(b'{"error": "the body is not JSON"}')
                return
            with open(out, "a") as f:
                f.write(json.dumps({"path": self.path, "body": body}) + "\n")
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", port), Sink)
    print(port, flush=True)
    if not once:
        server.serve_forever()
    server.timeout = 30
    server.handle_request()
    return 0 if received else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="webhook-sink.py", usage="webhook-sink.py FILE [--port N] [--once]")
    parser.add_argument("file")
    parser.add_argument("--port", type=int)
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args(argv)
    return serve(args.file, args.port or ports.free(1)[0], args.once)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
