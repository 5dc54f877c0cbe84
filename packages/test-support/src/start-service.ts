import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { waitForHttp } from "./wait-for.ts";

export interface StartOptions {
  /** Program to run; Node (this process's) by default. */
  command?: string;
  args: string[];
  /** Added to this process's environment (or replacing it, with `cleanEnv`). */
  env?: Record<string, string>;
  /** Start from an environment of only PATH plus `env` (a service on its embedded defaults). */
  cleanEnv?: boolean;
  cwd?: string;
  /** Output goes to this file (appended) instead of being kept in memory. */
  logFile?: string;
  /** Ready once this URL answers 2xx, or once a line of output contains `readyLine`. */
  readyUrl?: string;
  readyLine?: string;
  timeoutMs?: number;
}

export interface StartedService {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far (empty with `logFile`). */
  output(): string;
  /** Resolves once a line of output contains `text`; rejects when the process exits first. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Milliseconds from spawn until ready (0 when no readiness was asked for). */
  startMs: number;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` to the whole process group (SIGKILL after `killAfterMs`) and waits for the exit. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
}

/**
 * Starts a service as a real process in its own process group (so `npm start` and the node it
 * runs stop together) and waits until it is ready. Rejects, with its output, if it exits first
 * or is not ready in time.
 */
export async function startService(options: StartOptions): Promise<StartedService> {
  const { command = process.execPath, args, timeoutMs = 30_000 } = options;
  const baseEnv = options.cleanEnv ? { PATH: process.env.PATH ?? "" } : process.env;
  const log = options.logFile ? openSync(options.logFile, "a") : undefined;
  const begin = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...baseEnv, ...options.env },
    detached: true,
    stdio: ["ignore", log ?? "pipe", log ?? "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      for (const listener of listeners) listener();
      resolve(code);
    }),
  );
  const alive = () => exitCode === undefined;

  const waitForOutput = (text: string, ms = timeoutMs) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no "${text}" within ${ms} ms; output:\n${output}`)), ms);
      const check = () => {
        if (output.includes(text)) done();
        else if (!alive()) done(new Error(`${command} exited (${exitCode}) before "${text}"; output:\n${output}`));
      };
      const done = (error?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      listeners.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = "SIGTERM", killAfterMs = 10_000) => {
    if (!alive() || child.pid === undefined) return exited;
    const kill = (s: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), s);
      } catch {
        // already gone
      }
    };
    kill(signal);
    const timer = setTimeout(() => kill("SIGKILL"), killAfterMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  try {
    if (options.readyUrl) await waitForHttp(options.readyUrl, { timeoutMs, alive, intervalMs: 10, what: `${args.join(" ")} ready` });
    if (options.readyLine) await waitForOutput(options.readyLine);
  } catch (error) {
    await stop("SIGKILL");
    throw new Error(`${[command, ...args].join(" ")}: ${(error as Error).message}${output ? `\noutput:\n${output}` : ""}`);
  }
  const ready = Boolean(options.readyUrl || options.readyLine);
  return {
    child,
    pid: child.pid ?? 0,
    output: () => output,
    waitForOutput,
    startMs: ready ? performance.now() - begin : 0,
    exited,
    stop,
  };
}
