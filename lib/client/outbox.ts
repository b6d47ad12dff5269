import type { ChatSocket } from "@/lib/socket-client";
import type { MessageDto } from "@/lib/socket-events";
import { newClientId } from "./client-id";
import { putOutboxEntries, removeOutboxEntries, type OutboxEntry } from "./chat-state";
import type { ChatStore } from "./chat-store";
import { deleteOutboxEntry, loadOutbox, saveOutboxEntry } from "./outbox-storage";
import { isPermanentError, request, RequestError } from "./request";

const SEND_TIMEOUT_MS = 8_000;
const MAX_SEND_ATTEMPTS = 5;
const MAX_BACKOFF_MS = 15_000;

const UNREACHABLE = { code: "unavailable:timeout", message: "The server did not answer" } as const;

interface OutboxOptions {
  store: ChatStore;
  userId: string;
  socket: () => ChatSocket | null;
  /** A send was acknowledged: the message is durable and has its seq. */
  onSent: (message: MessageDto) => void;
}

/**
 * The sending side of reliability: every message gets a client id once, and every attempt reuses it,
 * so the server stores it exactly once however often it is retried. Sends go one at a time per
 * conversation, in the order they were written. Attempts only count when the socket was connected:
 * offline, a message simply waits for the next connection.
 */
export class Outbox {
  private readonly inFlight = new Set<string>();
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly attempts = new Map<string, number>();
  private loaded = false;

  constructor(private readonly options: OutboxOptions) {}

  /** Restores the entries a previous page left unsent. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const stored = await loadOutbox(this.options.userId);
    this.options.store.update((state) => putOutboxEntries(state, stored.filter((entry) => !(entry.clientMsgId in state.outbox))));
    this.flush();
  }

  enqueue(conversationId: string, body: string, mentions: string[]): void {
    const entry: OutboxEntry = {
      clientMsgId: newClientId(),
      conversationId,
      body,
      mentions,
      createdAt: new Date().toISOString(),
      status: "sending",
      failure: null,
    };
    this.put(entry);
    this.pump(conversationId);
  }

  retry(clientMsgId: string): void {
    const entry = this.options.store.getState().outbox[clientMsgId];
    if (!entry || entry.status !== "failed") return;
    this.attempts.delete(clientMsgId);
    this.put({ ...entry, status: "sending", failure: null });
    this.pump(entry.conversationId);
  }

  discard(clientMsgId: string): void {
    const entry = this.options.store.getState().outbox[clientMsgId];
    if (!entry || entry.status !== "failed") return;
    this.remove([clientMsgId]);
  }

  /** Own messages seen from the server (pushed by another tab's send, or pulled): their entries are done. */
  confirm(messages: readonly MessageDto[]): void {
    const { outbox, me } = this.options.store.getState();
    const done = messages.filter((message) => message.senderId === me.id && message.clientMsgId in outbox).map((message) => message.clientMsgId);
    if (done.length > 0) this.remove(done);
  }

  /** Sends whatever is waiting (on connect, after loading). */
  flush(): void {
    const conversationIds = new Set(Object.values(this.options.store.getState().outbox).map((entry) => entry.conversationId));
    for (const conversationId of conversationIds) this.pump(conversationId);
  }

  stop(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private put(entry: OutboxEntry) {
    this.options.store.update((state) => putOutboxEntries(state, [entry]));
    void saveOutboxEntry(this.options.userId, entry);
  }

  private remove(clientMsgIds: string[]) {
    this.options.store.update((state) => removeOutboxEntries(state, clientMsgIds));
    for (const id of clientMsgIds) {
      this.attempts.delete(id);
      void deleteOutboxEntry(id);
    }
  }

  private nextToSend(conversationId: string): OutboxEntry | undefined {
    return Object.values(this.options.store.getState().outbox)
      .filter((entry) => entry.conversationId === conversationId && entry.status === "sending")
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  }

  private pump(conversationId: string): void {
    if (this.inFlight.has(conversationId) || this.retryTimers.has(conversationId)) return;
    const socket = this.options.socket();
    const entry = this.nextToSend(conversationId);
    if (!socket?.connected || !entry) return;
    this.inFlight.add(conversationId);
    void this.send(socket, entry).finally(() => {
      this.inFlight.delete(conversationId);
      this.pump(conversationId);
    });
  }

  private async send(socket: ChatSocket, entry: OutboxEntry): Promise<void> {
    const { clientMsgId, conversationId, body, mentions } = entry;
    try {
      const input = mentions?.length ? { conversationId, clientMsgId, body, mentions } : { conversationId, clientMsgId, body };
      const { message } = await request(socket, "message:send", input, SEND_TIMEOUT_MS);
      // The stored message takes the entry's place (the view hides entries whose message it already shows).
      this.options.onSent(message);
      this.remove([clientMsgId]);
    } catch (error) {
      if (!(clientMsgId in this.options.store.getState().outbox)) return;
      if (isPermanentError(error)) return this.fail(entry, error);
      // A dropped connection is not the message's fault: it goes again on reconnect.
      if (!socket.connected) return;
      const attempts = (this.attempts.get(clientMsgId) ?? 0) + 1;
      this.attempts.set(clientMsgId, attempts);
      if (attempts >= MAX_SEND_ATTEMPTS) return this.fail(entry, error instanceof RequestError ? error : UNREACHABLE);
      this.scheduleRetry(conversationId, backoffMs(attempts, error));
    }
  }

  private fail(entry: OutboxEntry, { code, message }: { code: string; message: string }) {
    this.attempts.delete(entry.clientMsgId);
    this.put({ ...entry, status: "failed", failure: { code, message } });
  }

  private scheduleRetry(conversationId: string, delayMs: number) {
    this.retryTimers.set(
      conversationId,
      setTimeout(() => {
        this.retryTimers.delete(conversationId);
        this.pump(conversationId);
      }, delayMs),
    );
  }
}

function backoffMs(attempts: number, error: unknown): number {
  const retryAfterMs = error instanceof RequestError ? Number(error.details?.retryAfterMs) : NaN;
  if (Number.isFinite(retryAfterMs) && retryAfterMs > 0) return retryAfterMs;
  const exponential = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts);
  return exponential / 2 + Math.random() * (exponential / 2);
}
