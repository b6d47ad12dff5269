import { encode } from "next-auth/jwt";
import { io as connect, type Socket } from "socket.io-client";
import { nowMs } from "../lib/clock";
import { Histogram } from "../lib/histogram";
import type { AckRecord, CollectResult, ConnectRequest, ConnectResult, FleetUser } from "./protocol";

const SESSION_COOKIE = "next-auth.session-token";
const CONNECT_TIMEOUT_MS = 30_000;

interface IncomingMessage {
  conversationId: string;
  seq: number;
  senderId: string;
  clientMsgId: string;
  body: string;
}

/** The wire format of a benchmark message body: "<send time ms>|<phase>|<flag>|<padding>". */
export function messageBody({ sentAt, phase, flag, chars }: { sentAt: number; phase: string; flag: string; chars: number }): string {
  const head = `${sentAt.toFixed(3)}|${phase}|${flag}|`;
  return head + "x".repeat(Math.max(1, chars - head.length));
}

/** What this worker has seen of the current phase: recipient latencies and the checker's records. */
class PhaseLog {
  latency = new Histogram();
  receivedMeasured = 0;
  /** Arrivals inside the measured window, whenever sent: the delivered rate. */
  receivedInWindow = 0;
  received = 0;
  echoes = 0;
  stray = 0;
  acks: AckRecord[] = [];
  receipts = new Map<string, number[]>();
  group = new Map<string, [number, number, number]>();

  constructor(
    readonly phase: string,
    readonly window: { from: number; to: number },
  ) {}
}

/**
 * One set of connected sockets (a fleet) against one server: the app (session cookie, as a browser
 * after sign-in) or the bare relay (user id in the handshake). Every socket records what it receives.
 */
export class Fleet {
  readonly sockets = new Map<string, Socket>();
  log = new PhaseLog("", { from: 0, to: 0 });
  disconnects = 0;

  async connect({ url, target, users, authSecret, concurrency }: ConnectRequest): Promise<ConnectResult> {
    const started = nowMs();
    const errors: string[] = [];
    let failed = 0;
    let index = 0;
    const connectOne = async (user: FleetUser) => {
      try {
        this.sockets.set(user.id, await this.open(url, target, user, authSecret));
      } catch (error) {
        failed += 1;
        if (errors.length < 5) errors.push(error instanceof Error ? error.message : String(error));
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(concurrency, users.length) }, async () => {
        while (index < users.length) await connectOne(users[index++]!);
      }),
    );
    return { connected: users.length - failed, failed, errors, elapsedMs: nowMs() - started };
  }

  private async open(url: string, target: ConnectRequest["target"], user: FleetUser, authSecret: string): Promise<Socket> {
    const options =
      target === "app"
        ? { extraHeaders: { cookie: `${SESSION_COOKIE}=${await encode({ token: { sub: user.id, name: "bench" }, secret: authSecret })}` } }
        : { auth: { userId: user.id, groups: user.groups ?? [], peers: user.peers ?? {} } };
    const socket = connect(url, { transports: ["websocket"], reconnection: false, forceNew: true, timeout: CONNECT_TIMEOUT_MS, ...options });
    socket.on("message:new", (message: IncomingMessage) => this.receive(user.id, message));
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error) => {
        socket.close();
        reject(error);
      });
    });
    socket.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") this.disconnects += 1;
    });
    return socket;
  }

  socket(userId: string): Socket {
    const socket = this.sockets.get(userId);
    if (!socket) throw new Error(`no connected socket for user ${userId}`);
    return socket;
  }

  startPhase(phase: string, window: { from: number; to: number }) {
    this.log = new PhaseLog(phase, window);
  }

  private receive(userId: string, message: IncomingMessage) {
    const at = nowMs();
    const log = this.log;
    const [sentText, phase, flag] = message.body.split("|", 3);
    if (phase !== log.phase) {
      log.stray += 1;
      return;
    }
    if (message.senderId === userId) {
      // A send also reaches the sender's other devices (the sending socket gets the ack instead); latency is measured at the recipient.
      log.echoes += 1;
      return;
    }
    const sentAt = Number(sentText);
    log.received += 1;
    if (at >= log.window.from && at < log.window.to) log.receivedInWindow += 1;
    const key = `${userId} ${message.conversationId}`;
    const seqs = log.receipts.get(key);
    if (seqs) seqs.push(message.seq);
    else log.receipts.set(key, [message.seq]);
    if (flag === "m" || flag === "g") {
      log.receivedMeasured += 1;
      log.latency.recordMs(at - sentAt);
    }
    if (flag === "g") {
      const entry = log.group.get(message.clientMsgId);
      if (entry) {
        entry[1] += 1;
        entry[2] = Math.max(entry[2], at);
      } else log.group.set(message.clientMsgId, [sentAt, 1, at]);
    }
  }

  collect(): CollectResult {
    const log = this.log;
    return {
      latency: log.latency.toJSON(),
      receivedMeasured: log.receivedMeasured,
      receivedInWindow: log.receivedInWindow,
      received: log.received,
      echoes: log.echoes,
      stray: log.stray,
      disconnects: this.disconnects,
      acks: log.acks,
      receipts: Object.fromEntries(log.receipts),
      group: Object.fromEntries(log.group),
    };
  }

  disconnect() {
    for (const socket of this.sockets.values()) socket.disconnect();
    this.sockets.clear();
  }
}
