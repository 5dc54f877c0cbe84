// `npm start`: runs every member of the registry (scripts/registry.ts) from source on its embedded defaults,
// bound to loopback, prints each URL once it accepts connections, and on Ctrl-C (or SIGTERM)
// stops them all gracefully. `npm start -- hello stats` runs only those.
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { localPorts, type Member, readRegistry, root } from "./registry.ts";

interface Running extends Member {
  child?: ChildProcess;
}

const only = process.argv.slice(2);

function discover(): Running[] {
  const all = readRegistry();
  const ports = localPorts(all);
  return all.filter((m) => only.length === 0 || only.includes(m.name)).map((m) => ({ ...m, port: ports.get(m.name) ?? m.port }));
}

function waitForPort(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      if (child.exitCode !== null || Date.now() > deadline) return resolve(false);
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => setTimeout(attempt, 200));
    };
    attempt();
  });
}

const members = discover();
if (members.length === 0) {
  console.error(`start-fleet: nothing to start${only.length ? ` (asked for: ${only.join(", ")})` : ""}`);
  process.exit(1);
}
const width = Math.max(...members.map((m) => m.name.length));
let stopping = false;

for (const member of members) {
  const child = spawn("npm", ["run", "--silent", "start", "-w", member.dir], {
    cwd: root,
    // Its own process group, so Ctrl-C reaches only this runner, which then stops each member
    // with SIGTERM and waits for its drain.
    detached: true,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(member.port), ...member.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  member.child = child;
  const prefix = `${member.name.padEnd(width)} | `;
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (!line.startsWith("npm warn")) process.stdout.write(prefix + line + "\n");
    });
  }
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the fleet`);
      void stopAll(1);
    }
  });
}

const ready = await Promise.all(members.map((m) => (m.child ? waitForPort(m.port, m.child) : false)));
if (!stopping) {
  console.log("\nFlotilla is running (Ctrl-C stops it):");
  members.forEach((m, i) => {
    console.log(
      `  ${m.name.padEnd(width)}  ${ready[i] ? `${m.protocol}://127.0.0.1:${m.port}${m.protocol === "http" ? "/" : ""}` : "did not start"}`,
    );
  });
  console.log("");
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    members.map(
      (m) =>
        new Promise<void>((resolve) => {
          const child = m.child;
          if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return resolve();
          // "close", not "exit": it also waits until the child's last log lines are read.
          child.once("close", () => resolve());
          try {
            process.kill(-child.pid, "SIGTERM");
          } catch {
            resolve();
          }
        }),
    ),
  );
  console.log("Flotilla stopped.");
  process.exit(code);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
