// What every esbuild bundle of a service shares: the image's (build-service.ts) and the bench's
// startup-snapshot bundle (bench/lib/snapshot.ts), so the two run the same code with the same
// compile-time values. Each adds its own format, entry points and output.
import type { BuildOptions } from "esbuild";
import type { Member } from "./registry.ts";

export function bundleOptions(member: Member): BuildOptions & { define: Record<string, string> } {
  return {
    bundle: true,
    platform: "node",
    target: "node24",
    // native addons, copied beside the bundle by build-service.ts
    external: member.external,
    define: {
      "process.env.FLOTILLA_DEFAULT_PORT": JSON.stringify(String(member.httpPort)),
      "process.env.NODE_ENV": JSON.stringify("production"),
    },
  };
}
