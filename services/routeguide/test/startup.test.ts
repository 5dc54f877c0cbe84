import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startService } from "@flotilla/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { BackendStore } from "../src/backend-store.ts";
import { SERVICE_DIR, startProcess } from "./helpers.ts";

// Two ways starting routeguide went wrong when tried as a new user would.
describe("starting routeguide", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("opens LMDB in a DATA_DIR whose last part has a dot (mktemp -d, /data/routeguide.v1)", async () => {
    const parent = mkdtempSync(join(tmpdir(), "tmp."));
    dirs.push(parent);
    const store = new BackendStore(join(parent, "routeguide.v1"));
    await store.saveFeature({ name: "dot", location: { latitude: 1, longitude: 2 } });
    expect([...store.listFeatures()].map((f) => f.feature.name)).toEqual(["dot"]);
    await store.close();

    // And the whole process, with mktemp -d's kind of name.
    const service = await startProcess({ ROUTEGUIDE_MODE: "backend", BACKEND_PORT: "0", PORT: "0", DATA_DIR: parent });
    expect(await service.stop()).toBe(0);
  });

  it("reports a gRPC port in use as one 'cannot listen' log line and exit 1, no stack trace", async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
    const data = mkdtempSync(join(tmpdir(), "routeguide-busy-"));
    dirs.push(data);
    try {
      const service = await startService({
        args: ["src/main.ts"],
        cwd: SERVICE_DIR,
        cleanEnv: true,
        env: { HOST: "127.0.0.1", GRPC_PORT: String(port), BACKEND_PORT: "0", PORT: "0", DATA_DIR: data },
      });
      expect(await service.exited).toBe(1);
      const lines = service.output().trim().split("\n");
      const fatal = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === "fatal");
      expect(fatal?.msg).toMatch(new RegExp(`^cannot listen on 127.0.0.1:${port}: .*EADDRINUSE`));
      expect(service.output()).not.toMatch(/\n\s+at /); // no stack frames, in the line or around it
    } finally {
      squatter.close();
    }
  });
});
