// helm for the repository commands (npm run generate, npm run new-service): the pinned build
// tools/k8s.sh makes into the tool cache (~/.cache/flotilla/bin), built from the Go module proxy
// on first use as the tiers and pipeline steps get it. Without it (no Go to build it with) the
// caller is told what to install before it has changed anything. FLOTILLA_HELM names another
// helm to use instead (then the renders may differ from CI's pinned one).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./registry.ts";

export class ToolMissing extends Error {}

const cache = () => process.env.FLOTILLA_CACHE || join(process.env.HOME ?? "", ".cache/flotilla");

/** The pinned helm (built when missing or of another version); throws ToolMissing saying what to install. */
export function helm(): string {
  if (process.env.FLOTILLA_HELM) return process.env.FLOTILLA_HELM;
  const version = /^HELM_VERSION=(\S+)/m.exec(readFileSync(join(root, "tools/k8s.sh"), "utf8"))?.[1] ?? "(tools/k8s.sh)";
  try {
    // a no-op when the cache holds this version: tools/lib/tools.sh compares its stamp first
    execFileSync("bash", ["-c", "source tools/lib/tools.sh && source tools/k8s.sh && install_helm"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"], // "tools: building helm ...", or why it cannot
      env: { ...process.env, FLOTILLA_CACHE: cache() },
    });
  } catch {
    throw new ToolMissing(
      `helm ${version} is needed (the Kustomize renders) and could not be built (see above).\n` +
        `  tools/k8s.sh builds it into ${cache()}/bin from the Go module proxy, which needs Go on PATH:\n` +
        `  install Go (https://go.dev/dl/, or apt-get install golang-go) and run the command again.`,
    );
  }
  return join(cache(), "bin/helm");
}
