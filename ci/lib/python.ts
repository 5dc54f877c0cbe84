import { execFile, spawn } from "node:child_process";

export interface PythonRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** python3 ARGS to its end (stdin: INPUT, if given): exit code and output. */
export function python3(args: string[], input?: string): Promise<PythonRun> {
  return new Promise((resolve) => {
    const child = execFile("python3", args, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** python3 ARGS in the background, for clients and servers the test stops: SIGTERM, then its run. */
export function python3Background(
  args: string[],
  onStdout?: (data: string) => void,
): { stop: () => Promise<PythonRun>; done: Promise<PythonRun> } {
  const child = spawn("python3", args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
    onStdout?.(String(d));
  });
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<PythonRun>((resolve) => child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr })));
  return {
    done,
    stop: () => {
      child.kill("SIGTERM");
      return done;
    },
  };
}
