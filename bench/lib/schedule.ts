import { nowMs } from "./clock";

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Open loop: calls `fire` for the index-th event at `startAt + index / rate`, from `startAt` until `endAt`,
 * whatever the calls it makes answer, so a slow server cannot slow the offered load down. `lateMs` is how
 * late against its schedule an event was fired. Resolves to the number of events fired.
 */
export async function fireOnSchedule({ startAt, endAt, ratePerSec, fire }: { startAt: number; endAt: number; ratePerSec: number; fire(index: number, lateMs: number): void }): Promise<number> {
  const intervalMs = 1000 / ratePerSec;
  await delay(startAt - nowMs());
  let next = 0;
  while (nowMs() < endAt) {
    const now = nowMs();
    const due = Math.floor((now - startAt) / intervalMs) + 1;
    for (; next < due; next++) fire(next, Math.max(0, now - (startAt + next * intervalMs)));
    await delay(Math.min(1, startAt + next * intervalMs - nowMs()));
  }
  return next;
}
