// A startup snapshot of a service (Node's `--build-snapshot`): its bundle loaded, every module
// initialised, serialised into a blob that `node --snapshot-blob` starts from. Node snapshots one
// CommonJS script, so the service is bundled again as CommonJS with an entry that hands
// `runService` to the snapshot's deserialize-main function. Whether Node can snapshot what the
// bundle loads is for Node to say: a failed build is a result, reported with Node's reason.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleOptions } from "../../scripts/bundle-options.ts";
import { root } from "../../scripts/registry.ts";
import { benchedMember } from "./process.ts";

export type Snapshot = { blob: string } | { error: string };

/**
 * `entry` is TypeScript resolved from the service's folder, ending in
 * `startupSnapshot.setDeserializeMainFunction(...)`. The blob and its script go to `dir`.
 */
export async function buildSnapshot(name: string, entry: string, dir: string): Promise<Snapshot> {
  const member = benchedMember(name);
  const script = join(dir, `${name}-snapshot.cjs`);
  const shared = bundleOptions(member);
  await build({
    stdin: { contents: entry, resolveDir: join(root, member.dir), loader: "ts", sourcefile: "snapshot-entry.ts" },
    outfile: script,
    ...shared,
    format: "cjs",
    logLevel: "error",
    // CommonJS has no import.meta; the bundle's few uses of its URL get the script's own.
    define: { ...shared.define, "import.meta.url": "__snapshotUrl" },
    banner: { js: 'const __snapshotUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  const blob = join(dir, `${name}.blob`);
  const built = spawnSync(process.execPath, ["--snapshot-blob", blob, "--build-snapshot", script], { encoding: "utf8" });
  if (built.status === 0) return { blob };
  // Node's own complaints (addresses left out), not its warnings about modules it has not verified.
  const reasons = new Set(
    `${built.stderr}\n${built.stdout}`
      .split("\n")
      .filter((line) => /not serialized|\bError\b|failed/.test(line) && !line.includes("Warning"))
      .map((line) =>
        line
          .replace(/0x[0-9a-f]+:? ?/g, "")
          .replace(/^[#\s]+/, "")
          .trim(),
      ),
  );
  const reason = [...reasons].slice(0, 3).join("; ") || "no reason given";
  return { error: `node --build-snapshot failed (${built.signal ?? `exit ${built.status}`}): ${reason}` };
}
