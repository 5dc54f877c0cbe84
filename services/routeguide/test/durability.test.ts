import { freePort, type StartedService } from "@flotilla/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { BackendClient } from "../src/backend-client.ts";
import { startProcess, tempDir } from "./helpers.ts";

const N = 200;

describe("backend durability", () => {
  const data = tempDir("durable");
  const running: StartedService[] = [];
  afterAll(() => {
    for (const service of running) service.child.kill("SIGKILL");
    data.remove();
  });

  async function startBackend(port: number, httpPort: number): Promise<StartedService> {
    const service = await startProcess({
      ROUTEGUIDE_MODE: "backend",
      BACKEND_PORT: String(port),
      PORT: String(httpPort),
      DATA_DIR: data.dir,
      NOTES_HISTORY_LIMIT: "1000",
    });
    running.push(service);
    return service;
  }

  it("every acknowledged write survives kill -9 of the backend process", async () => {
    const [port, httpPort] = [await freePort(), await freePort()];
    const first = await startBackend(port, httpPort);
    const client = new BackendClient({ address: `127.0.0.1:${port}` });
    const features = Array.from({ length: N }, (_, i) => ({ name: `feature ${i}`, location: { latitude: i, longitude: -i } }));
    const notes = Array.from({ length: 50 }, (_, i) => ({ location: { latitude: 1, longitude: 2 }, message: `note ${i}` }));
    // Concurrent writes (batched into shared transactions by LMDB), each awaited for its ack.
    await Promise.all(features.map((feature) => client.saveFeature(feature, 10_000)));
    for (const note of notes) await client.saveNote(note, 10_000);

    // No goodbye: SIGKILL straight after the last acknowledgement.
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();

    await startBackend(port, httpPort);
    const stored = await client.listFeatures(0, 10_000);
    expect(stored.length).toBe(N);
    expect(stored.map((s) => s.feature.name).sort()).toEqual(features.map((f) => f.name).sort());
    const history = await client.listNotes({ latitude: 1, longitude: 2 }, 1000, 10_000);
    expect(history.map((n) => n.message)).toEqual(notes.map((n) => n.message));
    client.close();
  }, 60_000);
});
