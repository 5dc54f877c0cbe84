"""A one-shot webhook receiver on loopback for the notify step's check: prints its port, accepts one
POST, writes the body to OUT, answers 200, exits.   python3 webhook-sink.py OUT"""

import http.server
import sys


class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[1], "wb") as f:
            f.write(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Sink)
print(server.server_address[1], flush=True)
server.timeout = 30
server.handle_request()
