import { constants, PerformanceObserver } from "node:perf_hooks";

export interface PauseStats {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** Garbage-collection pauses of one process over a window: scavenges (young generation) and the rest. */
export interface GcPauses {
  minor: PauseStats;
  major: PauseStats;
}

const none = (): PauseStats => ({ count: 0, totalMs: 0, maxMs: 0 });

/**
 * Records this process's GC pauses from the moment it is created. `take()` returns the pauses since the
 * previous `take()` (or since creation) and starts a new window, so a scenario can read what collection
 * cost a server during exactly its measured calls: a pause there delays every call in flight.
 */
export class GcPauseTracker {
  private window: GcPauses = { minor: none(), major: none() };
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      const stats = kind === constants.NODE_PERFORMANCE_GC_MINOR ? this.window.minor : this.window.major;
      stats.count += 1;
      stats.totalMs += entry.duration;
      stats.maxMs = Math.max(stats.maxMs, entry.duration);
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  stop() {
    this.observer.disconnect();
  }

  take(): GcPauses {
    const taken = this.window;
    this.window = { minor: none(), major: none() };
    return taken;
  }
}
