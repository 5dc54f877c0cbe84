import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Finds a folder shipped with the service: `<name>/` beside the entry file in the bundle
 * (dist/main.mjs -> dist/proto/) or one level up from src/ when running from source.
 */
export function assetDir(name: "proto" | "data"): string {
  for (const relative of [`./${name}/`, `../${name}/`]) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error(`cannot find the ${name}/ folder next to ${fileURLToPath(import.meta.url)}`);
}
