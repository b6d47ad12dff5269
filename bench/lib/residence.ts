import { performance } from "node:perf_hooks";
import { Socket } from "socket.io";
import type { SendBatcher } from "../../server/services/send-batcher";
import { Histogram } from "./histogram";

/** How long work stayed inside one server over a window, in ms (over the measured span, when one was set). */
export interface Residence {
  /** Each acknowledged event: its frame decoded → its acknowledgement written. */
  ack: { count: number; p50: number; p99: number; max: number };
  /** Each send batch's statement, issued → its rows back (the app only): the storage's share of an ack. */
  store: { count: number; p50: number; p99: number; max: number } | null;
}

const brief = (histogram: Histogram) => {
  const { count, p50, p99, max } = histogram.summary();
  return count ? { count, p50, p99, max } : { count: 0, p50: 0, p99: 0, max: 0 };
};

/**
 * Times, in this process, every acknowledged event from the moment Socket.IO decodes its frame to the
 * moment the handler acknowledges it, and (given the app's send batcher) every batch's round trip to
 * Postgres. Beside the latency the load generators see, it tells how much of a message's time was spent
 * inside the server, how much of that waiting for Postgres, and so how much outside the server altogether.
 *
 * Diagnosis through internals, for the benchmark only: it wraps Socket.IO's private `Socket#ack` on the
 * prototype (no state per socket, so scenario 3's memory per socket is unchanged) and the batcher's
 * private `store`.
 */
export class ResidenceMeter {
  private ack = new Histogram();
  private store = new Histogram();
  private readonly timesStore: boolean;
  /** Only work that entered the server within this span is recorded (the phase's measured window). */
  private span: { from: number; to: number } | null = null;

  constructor(batcher?: SendBatcher) {
    const recordAck = (entered: number, ms: number) => {
      if (this.inSpan(entered)) this.ack.recordMs(ms);
    };
    const recordStore = (entered: number, ms: number) => {
      if (this.inSpan(entered)) this.store.recordMs(ms);
    };
    const prototype = Socket.prototype as unknown as { ack(id: number): (...args: unknown[]) => void };
    const makeAck = prototype.ack;
    prototype.ack = function timedAck(this: unknown, id: number) {
      const decoded = performance.now();
      const send = makeAck.call(this, id);
      return (...args: unknown[]) => {
        recordAck(decoded, performance.now() - decoded);
        send(...args);
      };
    };
    this.timesStore = batcher !== undefined;
    if (batcher) {
      const target = batcher as unknown as { store(batch: unknown[]): Promise<unknown> };
      const store = target.store;
      target.store = async function timedStore(this: unknown, batch: unknown[]) {
        const issued = performance.now();
        try {
          return await store.call(this, batch);
        } finally {
          recordStore(issued, performance.now() - issued);
        }
      };
    }
  }

  /**
   * From now until the next `take()`, records only work that entered the server between `from` and `to`
   * (`nowMs()` time, as the load generators' schedules are): a phase's measured window, not its warm-up.
   */
  measureBetween(from: number, to: number) {
    this.span = { from, to };
  }

  private inSpan(performanceTime: number): boolean {
    if (!this.span) return true;
    const at = performance.timeOrigin + performanceTime;
    return at >= this.span.from && at <= this.span.to;
  }

  take(): Residence {
    const window: Residence = { ack: brief(this.ack), store: this.timesStore ? brief(this.store) : null };
    this.ack = new Histogram();
    this.store = new Histogram();
    this.span = null;
    return window;
  }
}
