// The values files each environment's Flux HelmRelease lists, in order (its release-patch.yaml):
// the one declaration of an environment, which the Kustomize render reads too.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./registry.ts";

const APPS = "deploy/flux/apps";

/** The values files an environment's HelmRelease lists, in order (its release-patch.yaml). */
export function releaseValues(env: string): string[] {
  const patch = `${APPS}/${env}/release-patch.yaml`;
  if (!existsSync(join(root, patch))) throw new Error(`no Flux release for environment ${env} (${patch})`);
  const list = /^ {6}valuesFiles:\n((?: {8}- \S+\n)+)/m.exec(readFileSync(join(root, patch), "utf8"))?.[1];
  if (!list) throw new Error(`${patch} lists no valuesFiles`);
  return [...list.matchAll(/- (\S+)/g)].map((m) => m[1] as string);
}
