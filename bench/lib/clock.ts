import { performance } from "node:perf_hooks";

/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on this machine
 * (each process's timeOrigin is read from the same system clock): a sender stamps a message with it and
 * the recipient, in another process, subtracts it from its own reading.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
