import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@flotilla/service-kit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MessageSource, parseMessagesFile } from "./messages.ts";

const log = createLogger("test", "silent");
let source: MessageSource | undefined;
afterEach(() => source?.stop());

describe("parseMessagesFile", () => {
  it("keeps one message per non-blank, non-comment line", () => {
    expect(parseMessagesFile("# greetings\nHello\n\n  Bonjour  \r\nHola\n")).toEqual(["Hello", "Bonjour", "Hola"]);
  });
});

describe("MessageSource", () => {
  it("prefers the file and picks up edits without a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hello-msg-"));
    const file = join(dir, "messages");
    writeFileSync(file, "first\n");
    source = new MessageSource({ initial: ["env"], file, reloadMs: 100, log });
    await source.start();
    expect(source.current).toEqual(["first"]);
    writeFileSync(file, "second\nthird\n");
    await vi.waitFor(() => expect(source?.current).toEqual(["second", "third"]), { timeout: 3_000 });
  });

  it("follows a ConfigMap-style symlink swap", async () => {
    // Kubernetes: messages -> ..data/messages, ..data -> ..<timestamp>; an update swaps ..data.
    const dir = mkdtempSync(join(tmpdir(), "hello-cm-"));
    const v1 = join(dir, "..v1");
    const v2 = join(dir, "..v2");
    for (const [version, text] of [
      [v1, "one\n"],
      [v2, "two\n"],
    ] as const) {
      rmSync(version, { recursive: true, force: true });
      mkdirSync(version);
      writeFileSync(join(version, "messages"), text);
    }
    symlinkSync("..v1", join(dir, "..data"));
    symlinkSync("..data/messages", join(dir, "messages"));
    source = new MessageSource({ initial: ["env"], file: join(dir, "messages"), reloadMs: 100, log });
    await source.start();
    expect(source.current).toEqual(["one"]);
    symlinkSync("..v2", join(dir, "..data_tmp"));
    renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
    await vi.waitFor(() => expect(source?.current).toEqual(["two"]), { timeout: 3_000 });
  });

  it("keeps the last good messages when the file breaks, and warns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hello-bad-"));
    const file = join(dir, "messages");
    writeFileSync(file, "good\n");
    const warn = vi.fn();
    const spyLog = Object.assign(createLogger("test", "silent"), { warn, info: () => {} });
    source = new MessageSource({ initial: ["env"], file, reloadMs: 100, log: spyLog });
    await source.start();
    writeFileSync(file, "\n# only a comment\n");
    await source.reload();
    expect(source.current).toEqual(["good"]);
    rmSync(file);
    await source.reload();
    expect(source.current).toEqual(["good"]);
    writeFileSync(file, "x".repeat(70 * 1024));
    await source.reload();
    expect(source.current).toEqual(["good"]);
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it("falls back to MESSAGES when the file is missing at start", async () => {
    source = new MessageSource({ initial: ["env"], file: "/nonexistent/messages", reloadMs: 100, log });
    await source.start();
    expect(source.current).toEqual(["env"]);
  });
});
