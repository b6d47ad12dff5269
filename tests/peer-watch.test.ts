// PeerWatch decides when an instance may skip publishing its broadcasts to Redis because no other instance
// subscribes. Here Redis's channel is simulated on fake timers, so every interleaving is exact; the real
// Redis is in tests/redis-fanout.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PeerWatch } from "../server/socket/peer-watch";

const PROBE_INTERVAL_MS = 100;
const TRUST_MS = 500;
const ANNOUNCE_TIMEOUT_MS = 3_000;

interface Instance {
  watch: PeerWatch;
  subscribed: boolean;
  missed: number;
}

/** One Redis channel: a publish is handled `latencyMs` after it is sent and delivered `latencyMs` later. */
class FakeChannel {
  latencyMs = 2;
  /** False: commands fail at once (the client is disconnected). */
  reachable = true;
  /** False: Redis takes commands and never answers (it hangs). */
  answering = true;
  published = 0;
  readonly instances: Instance[] = [];

  start({ subscribed = true } = {}): Instance {
    const instance: Instance = { subscribed, missed: 0, watch: undefined as unknown as PeerWatch };
    instance.watch = new PeerWatch({
      publish: (payload) => this.publish(payload),
      onBroadcastsMissed: () => void (instance.missed += 1),
      probeIntervalMs: PROBE_INTERVAL_MS,
      trustMs: TRUST_MS,
      announceTimeoutMs: ANNOUNCE_TIMEOUT_MS,
      now: () => Date.now(),
    });
    this.instances.push(instance);
    return instance;
  }

  private publish(payload: string): Promise<number> {
    if (!this.reachable) return Promise.reject(new Error("The client is closed"));
    this.published += 1;
    return new Promise((resolve) => {
      setTimeout(() => {
        if (!this.answering) return;
        const receivers = this.instances.filter((instance) => instance.subscribed);
        setTimeout(() => {
          for (const receiver of receivers) receiver.watch.receive(Buffer.from(payload));
          resolve(receivers.length);
        }, this.latencyMs);
      }, this.latencyMs);
    });
  }
}

let channel: FakeChannel;

/** Its subscription becomes live within a probe interval; the catch-up is asked for the trust window later. */
async function expectCatchUpTrustAfterLive(instance: Instance) {
  await vi.advanceTimersByTimeAsync(PROBE_INTERVAL_MS + 10);
  expect(instance.missed).toBe(0);
  await vi.advanceTimersByTimeAsync(TRUST_MS);
  expect(instance.missed).toBe(1);
}

beforeEach(() => {
  vi.useFakeTimers();
  channel = new FakeChannel();
});
afterEach(() => {
  channel.instances.forEach((instance) => instance.watch.stop());
  vi.useRealTimers();
});

describe("PeerWatch", () => {
  it("an instance is alone once its own probe came back and Redis reached nobody else", async () => {
    const a = channel.start();
    expect(a.watch.alone()).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(a.watch.alone()).toBe(true);
  });

  it("is not alone from the first probe that reaches another subscriber", async () => {
    const a = channel.start();
    await vi.advanceTimersByTimeAsync(10);
    channel.start();
    await vi.advanceTimersByTimeAsync(PROBE_INTERVAL_MS + 10);
    expect(a.watch.alone()).toBe(false);
  });

  it("trusts a probe's finding for the trust window from when it was sent, and no longer when Redis stops answering", async () => {
    const a = channel.start();
    await vi.advanceTimersByTimeAsync(10);
    channel.answering = false;
    await vi.advanceTimersByTimeAsync(TRUST_MS - 20);
    expect(a.watch.alone()).toBe(true);
    await vi.advanceTimersByTimeAsync(20);
    expect(a.watch.alone()).toBe(false);
  });

  it("while Redis hangs, probes do not pile up: one awaits its answer at a time", async () => {
    channel.answering = false;
    const a = channel.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(channel.published).toBe(1);
    expect(a.watch.alone()).toBe(false);
  });

  it("one subscriber counted without its own probe coming back is someone else: not alone", async () => {
    const a = channel.start({ subscribed: false });
    channel.start();
    await vi.advanceTimersByTimeAsync(TRUST_MS);
    expect(a.watch.alone()).toBe(false);
  });

  it("lets new sockets in the trust window after its subscription is live, not before", async () => {
    const a = channel.start();
    let announcedAt: number | null = null;
    const startedAt = Date.now();
    void a.watch.whenAnnounced.then(() => (announcedAt = Date.now() - startedAt));
    await vi.advanceTimersByTimeAsync(TRUST_MS);
    expect(announcedAt).toBeNull();
    await vi.advanceTimersByTimeAsync(10);
    // The first probe came back 4 ms after start.
    expect(announcedAt).toBe(4 + TRUST_MS);
    expect(a.missed).toBe(0);
  });

  it("without Redis, lets sockets in after the start-up timeout, and asks them to catch up once the subscription is live", async () => {
    channel.reachable = false;
    const a = channel.start();
    let announced = false;
    void a.watch.whenAnnounced.then(() => (announced = true));
    await vi.advanceTimersByTimeAsync(ANNOUNCE_TIMEOUT_MS);
    expect(announced).toBe(true);
    channel.reachable = true;
    await expectCatchUpTrustAfterLive(a);
  });

  it("after its subscription was lost, asks its sockets to catch up the trust window after it is live again", async () => {
    const a = channel.start();
    channel.start();
    await vi.advanceTimersByTimeAsync(TRUST_MS + 10);
    a.subscribed = false;
    a.watch.subscriptionLost();
    await vi.advanceTimersByTimeAsync(1_000);
    a.subscribed = true;
    await expectCatchUpTrustAfterLive(a);
  });

  it("never lets a new instance's sockets in, or stop asking for catch-up, while another still trusts it is alone", async () => {
    for (const latencyMs of [0, 1, 7, 40, 130]) {
      for (const offsetMs of [0, 13, 50, 99]) {
        const scenario = new FakeChannel();
        scenario.latencyMs = latencyMs;
        const a = scenario.start();
        await vi.advanceTimersByTimeAsync(1_000 + offsetMs);
        const b = scenario.start();
        let bAnnounced = false;
        void b.watch.whenAnnounced.then(() => (bAnnounced = true));
        // B's subscription lapses once on the way; its catch-up must also come after A's trust ended.
        let lapsedAt: number | null = null;
        for (let ms = 0; ms < 4_000; ms += 1) {
          if (ms === 2_000) {
            b.subscribed = false;
            b.watch.subscriptionLost();
            lapsedAt = ms;
          }
          if (ms === 2_300) b.subscribed = true;
          await vi.advanceTimersByTimeAsync(1);
          if (bAnnounced && (lapsedAt === null || b.missed > 0)) expect(a.watch.alone(), `latency ${latencyMs}, offset ${offsetMs}, at ${ms} ms`).toBe(false);
        }
        expect(bAnnounced).toBe(true);
        expect(b.missed).toBe(1);
        scenario.instances.forEach((instance) => instance.watch.stop());
      }
    }
  });
});
