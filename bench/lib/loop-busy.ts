import { performance, type EventLoopUtilization } from "node:perf_hooks";
import { Histogram } from "./histogram";

/**
 * How much of the wall time this process's event loop spent running code rather than waiting for I/O,
 * over a window: `take()` returns the share (0–1) since the previous `take()` (or since creation) and
 * starts a new window. A Node server runs its JavaScript on one thread, so a share near 1 during a phase
 * means that thread was the bottleneck, whatever the machine's cores had left.
 */
export class EventLoopBusyMeter {
  private last: EventLoopUtilization = performance.eventLoopUtilization();

  take(): number {
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, this.last);
    this.last = now;
    return window.utilization;
  }
}

/** How late the event loop ran over a window: a stall of its thread, whatever the cause (GC, long work, no core). */
export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
}

const SAMPLE_EVERY_MS = 10;

/**
 * Samples how late this process's event loop runs a timer due every 10 ms. `take()` returns the delays
 * since the previous `take()` and starts a new window. A message in flight during a stall waits for it,
 * so a phase's latency tail longer than its servers' worst delay sits outside their threads.
 */
export class EventLoopDelayMeter {
  private window = new Histogram();
  private due = performance.now() + SAMPLE_EVERY_MS;

  constructor() {
    setInterval(() => {
      const now = performance.now();
      this.window.recordMs(Math.max(0, now - this.due));
      this.due = now + SAMPLE_EVERY_MS;
    }, SAMPLE_EVERY_MS).unref();
  }

  take(): LoopDelay {
    const { count, p99, max } = this.window.summary();
    this.window = new Histogram();
    return count ? { p99Ms: p99, maxMs: max } : { p99Ms: 0, maxMs: 0 };
  }
}
