import { performance, type EventLoopUtilization } from "node:perf_hooks";

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
