// Start to ready: each variant started and stopped `count` times, interleaved, from spawn until
// its readiness URL answers (wall time) and the CPU time it had used by then (robust under load).
import { type Stat, summarise } from "./figures.ts";
import { loadAverage } from "./process.ts";
import type { Variant } from "./rounds.ts";

export interface StartFigures {
  variant: string;
  wallMs: Stat;
  cpuMs: Stat;
  load: Stat;
}

export async function measureStarts(variants: Variant[], count: number): Promise<StartFigures[]> {
  const samples = variants.map(() => ({ wall: [] as number[], cpu: [] as number[], load: [] as number[] }));
  for (let round = 0; round < count; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + round) % variants.length;
      const load = loadAverage();
      const started = await (variants[i] as Variant).start();
      await started.stop();
      const s = samples[i] as (typeof samples)[number];
      s.wall.push(started.startMs);
      s.cpu.push(started.startCpuMs);
      s.load.push(load);
    }
  }
  return variants.map((v, i) => {
    const s = samples[i] as (typeof samples)[number];
    return { variant: v.name, wallMs: summarise(s.wall), cpuMs: summarise(s.cpu), load: summarise(s.load) };
  });
}
