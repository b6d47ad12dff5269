import { randomUUID } from "node:crypto";

/** How often an instance asks Redis whether anyone else listens. */
const PROBE_INTERVAL_MS = 100;
/** How long a probe that found nobody else is trusted, counted from when it was sent. */
const TRUST_MS = 500;
/** At start-up, new sockets wait at most this long for Redis; without it nothing crosses instances anyway. */
const ANNOUNCE_TIMEOUT_MS = 3_000;

const PROBE_PREFIX = '{"probe":"';
const PROBE_PREFIX_BYTES = Buffer.from(PROBE_PREFIX);

/** Whether `raw` begins with `prefix`, without allocating: this runs for every message from other instances. */
export const startsWith = (raw: Buffer, prefix: Buffer) => raw.length > prefix.length && raw.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

export interface PeerWatchOptions {
  /** Publishes a probe on the adapter's channel; resolves with how many subscribers Redis delivered it to. */
  publish(payload: string): Promise<number>;
  /**
   * Called `trustMs` after this instance's subscription is live again after a lapse (or first becomes live
   * after start-up gave up waiting for it): its sockets may have missed broadcasts and should catch up.
   */
  onBroadcastsMissed(): void;
  probeIntervalMs?: number;
  trustMs?: number;
  announceTimeoutMs?: number;
  now?: () => number;
}

interface Probe {
  sentAt: number;
  receivers?: number;
  echoed: boolean;
}

/**
 * Tells whether any other instance subscribes to the adapter's channel, so that a lone instance need not
 * publish its broadcasts (each publish is a Redis write, an encoding, and Redis's own work).
 *
 * Every `probeIntervalMs` the instance publishes a probe on the channel. Redis answers with the number of
 * subscribers it reached; when that is 1 and the probe comes back to this instance, that one was this
 * instance, so nobody else listened when Redis handled it. That finding is trusted for `trustMs` from when
 * the probe was sent, and any finding of another subscriber ends it at once.
 *
 * An instance whose subscription has just become live (at start-up, or after its connection to Redis was
 * lost) learns so when its own probe comes back. Another instance's probe that Redis handled before that
 * was sent before it too, so its finding has expired `trustMs` after that moment; any probe handled later
 * counts the new subscriber. Until then the new subscriber cannot rely on receiving every broadcast: at
 * start-up its new sockets wait (`whenAnnounced`), and after a lapse its sockets are asked to catch up by
 * seq at that point (`onBroadcastsMissed`). Only durations are compared, each on its own instance's clock,
 * and `trustMs` must be the same on every instance.
 */
export class PeerWatch {
  private readonly id = randomUUID();
  private readonly ownPrefix: Buffer;
  private readonly probes = new Map<number, Probe>();
  private sent = 0;
  private awaitingAnswer = false;
  private lastSettled = 0;
  private aloneUntil = -Infinity;
  private subscriptionLive = false;
  private announced = false;
  private resolveAnnounced!: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly interval: NodeJS.Timeout;
  /** Resolves once this instance's sockets can rely on receiving every other instance's broadcasts. */
  readonly whenAnnounced = new Promise<void>((resolve) => (this.resolveAnnounced = resolve));

  private readonly publish: PeerWatchOptions["publish"];
  private readonly onBroadcastsMissed: () => void;
  private readonly trustMs: number;
  private readonly now: () => number;

  constructor({
    publish,
    onBroadcastsMissed,
    probeIntervalMs = PROBE_INTERVAL_MS,
    trustMs = TRUST_MS,
    announceTimeoutMs = ANNOUNCE_TIMEOUT_MS,
    now = () => performance.now(),
  }: PeerWatchOptions) {
    this.publish = publish;
    this.onBroadcastsMissed = onBroadcastsMissed;
    this.trustMs = trustMs;
    this.now = now;
    this.ownPrefix = Buffer.from(`${PROBE_PREFIX}${this.id}:`);
    this.later(announceTimeoutMs, () => this.announce());
    this.interval = setInterval(() => this.probe(), probeIntervalMs);
    this.interval.unref();
    this.probe();
  }

  /** True once new sockets are let in (see whenAnnounced). */
  get isAnnounced() {
    return this.announced;
  }

  /** True while no other instance can be subscribed: broadcasts need not be published. */
  alone(): boolean {
    return this.now() < this.aloneUntil;
  }

  /** Takes a raw message of the adapter's channel if it is a probe (this instance's or another's). */
  receive(raw: Buffer): boolean {
    if (!startsWith(raw, PROBE_PREFIX_BYTES)) return false;
    if (startsWith(raw, this.ownPrefix)) {
      const number = Number.parseInt(raw.toString("latin1", this.ownPrefix.length), 10);
      const probe = this.probes.get(number);
      if (!this.subscriptionLive) this.subscriptionBecameLive();
      if (probe) {
        probe.echoed = true;
        this.settle(number, probe);
      }
    }
    return true;
  }

  /** The subscriber's connection was lost: broadcasts published meanwhile never arrived. */
  subscriptionLost() {
    this.subscriptionLive = false;
    this.aloneUntil = -Infinity;
  }

  stop() {
    clearInterval(this.interval);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private probe() {
    // One probe awaits Redis's answer at a time, so a stalled Redis does not pile them up.
    if (this.awaitingAnswer) return;
    this.awaitingAnswer = true;
    const number = ++this.sent;
    const probe: Probe = { sentAt: this.now(), echoed: false };
    this.probes.set(number, probe);
    // Probes whose echo never came (the subscription was down) are dropped.
    for (const [old, { sentAt }] of this.probes) if (probe.sentAt - sentAt > this.trustMs) this.probes.delete(old);
    this.publish(`${PROBE_PREFIX}${this.id}:${number}"}`).then(
      (receivers) => {
        this.awaitingAnswer = false;
        probe.receivers = receivers;
        this.settle(number, probe);
      },
      () => {
        this.awaitingAnswer = false;
        this.probes.delete(number);
      },
    );
  }

  private settle(number: number, probe: Probe) {
    if (probe.receivers === undefined || !probe.echoed || number <= this.lastSettled) return;
    this.probes.delete(number);
    this.lastSettled = number;
    this.aloneUntil = probe.receivers === 1 ? probe.sentAt + this.trustMs : -Infinity;
  }

  private announce() {
    if (this.announced) return;
    this.announced = true;
    this.resolveAnnounced();
  }

  private subscriptionBecameLive() {
    this.subscriptionLive = true;
    this.later(this.trustMs, () => (this.announced ? this.onBroadcastsMissed() : this.announce()));
  }

  private later(ms: number, run: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
