import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { freePort } from "@flotilla/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVICE_DIR, startApp } from "./helpers.ts";

const run = promisify(execFile);

describe("client CLI", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.cleanup();
  });

  it("runs the four RPCs and exits 0; the second run sees the first run's chat notes", async () => {
    const args = ["src/client.ts", "--addr", `127.0.0.1:${app.grpcPorts.server}`];
    const first = await run(process.execPath, args, { cwd: SERVICE_DIR });
    expect(first.stdout).toContain('Found feature "Statue of Liberty, Liberty Island, New York, NY, USA" at (40.689249, -74.0445)');
    expect(first.stdout).toContain("No feature at (0, 0)");
    expect(first.stdout).toContain("21 features");
    expect(first.stdout).toMatch(/Finished trip with 10 points, passed 10 features, travelled \d+ metres/);
    expect(first.stdout).toContain("1 earlier notes received");
    const second = await run(process.execPath, args, { cwd: SERVICE_DIR });
    expect(second.stdout).toContain("7 earlier notes received");
  });

  it("exits 1 with a reason when the server is unreachable", async () => {
    const port = await freePort();
    const failed = run(process.execPath, ["src/client.ts", "--addr", `127.0.0.1:${port}`, "--timeout", "2000"], { cwd: SERVICE_DIR });
    await expect(failed).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/routeguide-client: .*\(gRPC code 14\)/) });
  });

  it("exits 1 on a bad flag value", async () => {
    await expect(run(process.execPath, ["src/client.ts", "--timeout", "soon"], { cwd: SERVICE_DIR })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--timeout must be a positive integer"),
    });
  });
});
