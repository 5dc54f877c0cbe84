// The recent samples a sparkline draws: a bounded window, oldest first.

export const HISTORY_LENGTH = 60;

export function appendSample(history: readonly number[], value: number, max = HISTORY_LENGTH): number[] {
  const next = history.length >= max ? history.slice(history.length - max + 1) : history.slice();
  next.push(value);
  return next;
}
