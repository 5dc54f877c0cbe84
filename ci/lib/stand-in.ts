import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { freePort } from "@flotilla/test-support";

const open: Server[] = [];

/** An HTTP server on 127.0.0.1 standing in for a real one (hello, Alertmanager, VictoriaLogs) in a
 * helper's test: HANDLE answers each request, given its body. Returns its base URL (no slash). */
export async function standIn(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => handle(req, res, body));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  open.push(server);
  return `http://127.0.0.1:${port}`;
}

/** Closes every stand-in (afterEach). */
export function closeStandIns(): void {
  for (const server of open.splice(0)) server.close();
}
