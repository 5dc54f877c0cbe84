// A stand-in for hello's /hello on 127.0.0.1:PORT, for the helm test hook's own script:
// `hello\n` on /hello, 404 elsewhere. usage: node hello-server.mjs PORT
import { createServer } from "node:http";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error("usage: node hello-server.mjs PORT");
  process.exit(2);
}
createServer((req, res) => {
  if (req.url === "/hello") {
    res.end("hello\n");
    return;
  }
  res.statusCode = 404;
  res.end("nope\n");
}).listen(port, "127.0.0.1");
