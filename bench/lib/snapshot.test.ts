import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startService } from "@flotilla/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { buildSnapshot } from "./snapshot.ts";

const dirs: string[] = [];
const dir = () => {
  const made = mkdtempSync(join(tmpdir(), "snapshot-test-"));
  dirs.push(made);
  return made;
};
afterEach(() => {
  for (const made of dirs.splice(0)) rmSync(made, { recursive: true, force: true });
});

describe("buildSnapshot", () => {
  it("builds a blob that Node starts from, its modules initialised before the snapshot was taken", async () => {
    // zod (bundled from hello's dependencies) is loaded and a schema built when the snapshot is taken.
    const entry = `
      import { startupSnapshot } from "node:v8";
      import { z } from "zod";
      const greeting = z.object({ to: z.string() }).parse({ to: "snapshot" });
      startupSnapshot.setDeserializeMainFunction(() => {
        require("node:http").createServer((_q, s) => s.end("hello " + greeting.to)).listen(Number(process.env.PORT), "127.0.0.1");
      });`;
    const snapshot = await buildSnapshot("hello", entry, dir());
    expect(snapshot).toHaveProperty("blob");
    const port = await freePort();
    const server = await startService({
      args: ["--snapshot-blob", (snapshot as { blob: string }).blob],
      env: { PORT: String(port) },
      readyUrl: `http://127.0.0.1:${port}/`,
      timeoutMs: 10_000,
    });
    try {
      expect(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())).toBe("hello snapshot");
    } finally {
      await server.stop();
    }
  });

  it("reports Node's reason when the snapshot cannot be built", async () => {
    const snapshot = await buildSnapshot("hello", `throw new Error("not at build time");`, dir());
    expect(snapshot).toEqual({ error: expect.stringMatching(/^node --build-snapshot failed \(exit 1\): .*Error: not at build time/) });
  });
});
