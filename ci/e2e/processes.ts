// Child processes of the browser tier: started in their own process group (so `npm start` and the
// node it runs die together), logged to files, awaited until they answer, and killed for real.

import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";

export interface Managed {
  name: string;
  child: ChildProcess;
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string>; logFile: string; cwd?: string },
): Managed {
  const log = openSync(options.logFile, "a");
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", log, log],
  });
  return { name, child };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Kills the whole process group; SIGKILL simulates a crash, SIGTERM a normal stop. */
export async function stopProcess(p: Managed, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (p.child.pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  try {
    process.kill(-p.child.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (p.child.pid !== undefined) process.kill(-p.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await exited(p.child);
  clearTimeout(timer);
}

/** Resolves once `url` answers `ok(status)`, rejects after `timeoutMs` or if the process exits. */
export async function waitForHttp(
  p: Managed,
  url: string,
  timeoutMs = 60_000,
  ok: (status: number) => boolean = (s) => s < 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}) before ${url} answered`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (ok(res.status)) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${p.name}: ${url} did not answer within ${timeoutMs} ms`);
}
