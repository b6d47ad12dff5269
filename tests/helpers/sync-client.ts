import { io as connect, type Socket } from "socket.io-client";
import { parseJsonBytes, type AckResult, type ClientToServerEvents, type JsonBytes, type MessageDto, type MessagePage, type ServerToClientEvents } from "../../lib/socket-events";

/**
 * A test client that applies messages the way the product's client must: push for speed (message:new),
 * pull for truth (messages:since on every connect and whenever a seq gap appears), in seq order, each
 * seq once. `applied` is what a user would see.
 */
export class SyncingClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly applied: MessageDto[] = [];
  /** How many times each seq was applied: the exactly-once check reads this. */
  readonly applyCounts = new Map<number, number>();
  private readonly pending = new Map<number, MessageDto>();
  private pulling: Promise<void> | null = null;

  constructor(
    urls: string[],
    cookie: string,
    private readonly conversationId: string,
  ) {
    let next = 0;
    this.socket = connect(urls[0]!, { transports: ["websocket"], extraHeaders: { cookie }, reconnectionDelay: 100, reconnectionDelayMax: 500 });
    // Fail over: every reconnection attempt tries the next instance.
    // (The manager parses `uri` afresh for every connection attempt.)
    this.socket.io.on("reconnect_attempt", () => {
      next = (next + 1) % urls.length;
      (this.socket.io as unknown as { uri: string }).uri = urls[next]!;
    });
    this.socket.on("connect", () => void this.pull());
    this.socket.on("sync:required", () => void this.pull());
    this.socket.on("message:new", (message) => {
      if (message.conversationId !== this.conversationId) return;
      this.pending.set(message.seq, message);
      this.drain();
      if (this.pending.size > 0) void this.pull();
    });
  }

  get lastSeq() {
    return this.applied.at(-1)?.seq ?? 0;
  }

  private drain() {
    for (let next = this.pending.get(this.lastSeq + 1); next; next = this.pending.get(this.lastSeq + 1)) {
      this.pending.delete(next.seq);
      this.applied.push(next);
      this.applyCounts.set(next.seq, (this.applyCounts.get(next.seq) ?? 0) + 1);
    }
    for (const seq of this.pending.keys()) if (seq <= this.lastSeq) this.pending.delete(seq);
  }

  /** Pulls until caught up; concurrent calls share one pull loop. */
  pull(): Promise<void> {
    this.pulling ??= (async () => {
      try {
        for (;;) {
          const result = (await this.socket.timeout(3_000).emitWithAck("messages:since", {
            conversationId: this.conversationId,
            afterSeq: this.lastSeq,
            limit: 200,
          })) as AckResult<JsonBytes<MessagePage>>;
          if (!result.ok) throw new Error(result.error.code);
          const page = parseJsonBytes(result.data);
          for (const message of page.messages) this.pending.set(message.seq, message);
          this.drain();
          if (!page.hasMore) break;
        }
      } catch {
        // Disconnected mid-pull: the next connect pulls again.
      } finally {
        this.pulling = null;
      }
    })();
    return this.pulling;
  }

  close() {
    this.socket.disconnect();
  }
}
