// Test helper: writes a fake /proc or /sys/fs/cgroup tree into a fresh temp dir.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export async function fsTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "stats-test-"));
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return root;
}

/** A /proc tree whose cpu line and meminfo are given; loadavg/uptime fixed. */
export function procFiles(opts: {
  cpu: number[];
  cpus?: number;
  memTotalKb: number;
  memAvailableKb: number;
  selfCgroup?: string;
}): Record<string, string> {
  const cpuLines = Array.from({ length: opts.cpus ?? 2 }, (_, i) => `cpu${i} 1 0 1 1 0 0 0 0 0 0`);
  return {
    stat: [`cpu  ${opts.cpu.join(" ")}`, ...cpuLines, "intr 1 2 3", "ctxt 42", ""].join("\n"),
    meminfo: `MemTotal:       ${opts.memTotalKb} kB\nMemFree:        1000 kB\nMemAvailable:   ${opts.memAvailableKb} kB\nBuffers:        10 kB\n`,
    loadavg: "0.50 0.25 0.10 2/300 12345\n",
    uptime: "1234.56 2000.00\n",
    "self/cgroup": opts.selfCgroup ?? "0::/\n",
  };
}
