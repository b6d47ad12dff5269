import type { ChatSocket } from "@/lib/socket-client";
import { applyReadState } from "./chat-state";
import type { ChatStore } from "./chat-store";
import { request } from "./request";

const DELIVERED_BATCH_MS = 100;

/**
 * Tells the server how far this device has received (delivered) and the user has seen (read) each
 * conversation. Positions only move forward; several deliveries in quick succession become one event
 * carrying the highest seq.
 */
export class Receipts {
  private readonly deliveredSent = new Map<string, number>();
  private readonly deliveredPending = new Map<string, number>();
  private deliveredTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly readInFlight = new Map<string, number>();

  constructor(
    private readonly store: ChatStore,
    private readonly socket: () => ChatSocket | null,
  ) {}

  delivered(conversationId: string, seq: number): void {
    if (seq > Math.max(this.deliveredSent.get(conversationId) ?? 0, this.deliveredPending.get(conversationId) ?? 0)) {
      this.deliveredPending.set(conversationId, seq);
    }
    this.resume();
  }

  /** Sends what is pending (deliveries noted while offline wait for this). */
  resume(): void {
    if (this.deliveredPending.size > 0) this.deliveredTimer ??= setTimeout(() => this.flushDelivered(), DELIVERED_BATCH_MS);
  }

  /** Reads up to `seq` unless the server already has that (or a request for it is on its way). */
  read(conversationId: string, seq: number): void {
    const socket = this.socket();
    const summary = this.store.getState().conversations[conversationId];
    if (!socket?.connected || !summary || summary.unreadCount === 0) return;
    if (seq <= Math.max(summary.lastReadSeq, this.readInFlight.get(conversationId) ?? 0)) return;
    this.readInFlight.set(conversationId, seq);
    request(socket, "conversation:read", { conversationId, seq })
      .then((state) => this.store.update((current) => applyReadState(current, state)))
      .catch(() => undefined)
      .finally(() => {
        if (this.readInFlight.get(conversationId) === seq) this.readInFlight.delete(conversationId);
      });
  }

  stop(): void {
    if (this.deliveredTimer) clearTimeout(this.deliveredTimer);
    this.deliveredTimer = null;
  }

  private flushDelivered() {
    this.deliveredTimer = null;
    const socket = this.socket();
    if (!socket?.connected) return;
    for (const [conversationId, seq] of this.deliveredPending) {
      this.deliveredSent.set(conversationId, seq);
      request(socket, "conversation:delivered", { conversationId, seq }).catch(() => {
        // Reported again after the next sync.
        if (this.deliveredSent.get(conversationId) === seq) this.deliveredSent.delete(conversationId);
      });
    }
    this.deliveredPending.clear();
  }
}
