import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { canWrite } from "./mongo-auth.ts";

const script = new URL("mongo-auth.ts", import.meta.url).pathname;
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [script, ...args]).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("ci/platform/mongo-auth.ts", () => {
  it("usage: exits 2 without URI and DB", async () => {
    expect((await run()).code).toBe(2);
  });

  it("a server that cannot be reached is a refusal (exit 1), never ok", async () => {
    const uri = `mongodb://127.0.0.1:${await closedPort()}/?directConnection=true`;
    await expect(canWrite(uri, "flotilla", 500)).rejects.toThrow();
    const r = await run(uri, "flotilla");
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/^ok$/m);
  }, 30_000);
});
