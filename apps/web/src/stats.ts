// One sample from the stats service, parsed with the contract the service publishes it with
// (packages/contracts), so a bad payload can never put NaN or undefined on screen. A payload that
// breaks the contract but still carries the two numbers the dashboard is about (the seed's
// minimal `{ram, cpu}`) shows just those.
import { type StatsSample as PublishedSample, statsSampleSchema } from "@flotilla/contracts/stats-sample";
import * as z from "zod/mini";

export type StatsSample = Pick<PublishedSample, "ram" | "cpu"> & Partial<Omit<PublishedSample, "ram" | "cpu">>;
export type CgroupInfo = NonNullable<PublishedSample["cgroup"]>;

const minimal = z.pick(statsSampleSchema, { ram: true, cpu: true });

/** Returns the sample, or null when `value` lacks the two numbers the dashboard is about. */
export function parseStats(value: unknown): StatsSample | null {
  const full = statsSampleSchema.safeParse(value);
  if (full.success) return full.data;
  const partial = minimal.safeParse(value);
  return partial.success ? partial.data : null;
}
