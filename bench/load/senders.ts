import { parseJsonBytes } from "../../lib/socket-events";
import { nowMs } from "../lib/clock";
import { Histogram } from "../lib/histogram";
import { delay, fireOnSchedule } from "../lib/schedule";
import { messageBody, type Fleet } from "./fleet";
import type { GroupRequest, LoadRequest, LoadResult, RpcRequest, RpcResult, Sender } from "./protocol";

type AckPayload = { ok: true; data: { message: { conversationId: string; seq: number; clientMsgId: string } } } | { ok: false; error: { code: string } };

/** Sends one message and records its acknowledgement; resolves when acknowledged, refused or timed out. */
class SendTracker {
  sent = 0;
  sentMeasured = 0;
  skipped = 0;
  acked = 0;
  ackedMeasured = 0;
  ackedInWindow = 0;
  failed = 0;
  readonly errors: Record<string, number> = {};
  readonly ack = new Histogram();
  readonly lag = new Histogram();

  constructor(
    private readonly fleet: Fleet,
    private readonly phase: string,
    private readonly workerId: string,
    private readonly bodyChars: number,
    private readonly ackTimeoutMs: number,
    private readonly window: { from: number; to: number },
  ) {}

  send(sender: Sender, flag: "w" | "m" | "g"): Promise<void> {
    const socket = this.fleet.socket(sender.userId);
    const sentAt = nowMs();
    const clientMsgId = `${this.phase}.${this.workerId}.${this.sent}`;
    const measured = flag !== "w";
    this.sent += 1;
    if (measured) this.sentMeasured += 1;
    const body = messageBody({ sentAt, phase: this.phase, flag, chars: this.bodyChars });
    return new Promise((resolve) => {
      socket.timeout(this.ackTimeoutMs).emit("message:send", { conversationId: sender.conversationId, clientMsgId, body }, (error: Error | null, result: AckPayload) => {
        if (error || !result?.ok) {
          const code = error ? "timeout:ack" : result.ok ? "unknown" : result.error.code;
          this.failed += 1;
          this.errors[code] = (this.errors[code] ?? 0) + 1;
        } else {
          this.acked += 1;
          const at = nowMs();
          if (at >= this.window.from && at < this.window.to) this.ackedInWindow += 1;
          const { message } = result.data;
          this.fleet.log.acks.push([message.conversationId, message.seq, message.clientMsgId, sender.userId]);
          if (measured) {
            this.ackedMeasured += 1;
            this.ack.recordMs(at - sentAt);
          }
        }
        resolve();
      });
    });
  }

  result(): LoadResult {
    return {
      sent: this.sent,
      sentMeasured: this.sentMeasured,
      skipped: this.skipped,
      acked: this.acked,
      ackedMeasured: this.ackedMeasured,
      ackedInWindow: this.ackedInWindow,
      failed: this.failed,
      errors: this.errors,
      ack: this.ack.toJSON(),
      lag: this.lag.toJSON(),
    };
  }
}

/**
 * Open loop: emits on a fixed schedule (rate × elapsed time), whatever the server answers, so a slow
 * server cannot slow the offered load down; senders take turns. Closed loop: each sender keeps
 * `window` sends in flight, the next one leaving when an acknowledgement arrives.
 */
export async function runLoad(fleet: Fleet, workerId: string, request: LoadRequest): Promise<LoadResult> {
  const measureFrom = request.startAt + request.warmupMs;
  const endAt = measureFrom + request.measureMs;
  const tracker = new SendTracker(fleet, request.phase, workerId, request.bodyChars, request.ackTimeoutMs, { from: measureFrom, to: endAt });
  const flagAt = (at: number) => (at < measureFrom ? "w" : "m");
  const inFlight = new Set<Promise<void>>();
  const track = (promise: Promise<void>) => {
    inFlight.add(promise);
    void promise.then(() => inFlight.delete(promise));
  };
  if (request.senders.length === 0) return tracker.result();

  if (request.mode === "open") {
    const cap = request.maxInFlight ?? Infinity;
    await fireOnSchedule({
      startAt: request.startAt,
      endAt,
      ratePerSec: request.ratePerSec ?? 0,
      fire: (index, lateMs) => {
        tracker.lag.recordMs(lateMs);
        if (inFlight.size >= cap) tracker.skipped += 1;
        else track(tracker.send(request.senders[index % request.senders.length]!, flagAt(nowMs())));
      },
    });
  } else {
    await delay(request.startAt - nowMs());
    const chain = async (sender: Sender) => {
      while (nowMs() < endAt) await tracker.send(sender, flagAt(nowMs()));
    };
    const window = request.window ?? 1;
    for (const sender of request.senders) for (let slot = 0; slot < window; slot++) track(chain(sender));
  }
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  return tracker.result();
}

/** One member sends to the group, one message every `intervalMs`, each waiting for its acknowledgement. */
export async function runGroupSends(fleet: Fleet, workerId: string, request: GroupRequest): Promise<LoadResult> {
  const tracker = new SendTracker(fleet, request.phase, workerId, request.bodyChars, request.ackTimeoutMs, { from: 0, to: Infinity });
  for (let index = 0; index < request.warmupCount + request.count; index++) {
    const started = nowMs();
    await tracker.send(request.sender, index < request.warmupCount ? "w" : "g");
    await delay(request.intervalMs - (nowMs() - started));
  }
  return tracker.result();
}

/** Request/acknowledgement round trips, one at a time, each call from its own user's socket. */
export async function runRpc(fleet: Fleet, request: RpcRequest): Promise<RpcResult> {
  const latency = new Histogram();
  const errors: Record<string, number> = {};
  let sample: unknown = null;
  for (const call of request.calls) {
    const socket = fleet.socket(call.userId);
    const started = nowMs();
    try {
      const result = (await socket.timeout(request.ackTimeoutMs).emitWithAck(request.event, call.input)) as { ok: boolean; data?: unknown; error?: { code: string } };
      // An answer in JSON bytes (message pages, the conversation list) counts as received once parsed, as the app's client does.
      if (result.data instanceof Uint8Array) parseJsonBytes(result.data);
      latency.recordMs(nowMs() - started);
      if (!result.ok) errors[result.error?.code ?? "unknown"] = (errors[result.error?.code ?? "unknown"] ?? 0) + 1;
      else sample ??= result.data;
    } catch {
      errors["timeout:ack"] = (errors["timeout:ack"] ?? 0) + 1;
    }
  }
  return { latency: latency.toJSON(), errors, sample };
}
