import { createServer } from "node:net";

// Below the kernel's ephemeral range (32768-60999) and Kubernetes' NodePorts, as the CI harness's ports.py
// picks them: a port from the ephemeral range can be taken as the local port of any outgoing
// loopback connection between this check and the child's bind.
const POOL_START = 20000;
const POOL_SIZE = 10000;

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A TCP port nothing listens on right now on 127.0.0.1, from 20000-29999. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = POOL_START + Math.floor(Math.random() * POOL_SIZE);
    if (await listens(port)) return port;
  }
  throw new Error(`no free port found in ${POOL_START}-${POOL_START + POOL_SIZE - 1} after 100 tries`);
}
