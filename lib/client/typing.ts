import type { ChatSocket } from "@/lib/socket-client";
import type { TypingState } from "@/lib/socket-events";
import { applyTyping, clearTyping, expireTypists } from "./activity-state";
import type { ChatStore } from "./chat-store";
import { request } from "./request";

/** While the user keeps typing, `typing: true` is repeated this often, well inside the indicator's expiry. */
const TYPING_REFRESH_MS = 3_000;
/** Timers may fire a little before the clock says the time is up. */
const TIMER_SLACK_MS = 50;

/**
 * Typing indicators both ways. Outgoing, throttled: one `typing: true` per few seconds while the composer
 * has text, `typing: false` when it empties, on send and on blur. Incoming: each indicator dies at its
 * expiry unless refreshed, so none can get stuck.
 */
export class Typing {
  private readonly lastSent = new Map<string, number>();
  private readonly expiryTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly store: ChatStore,
    private readonly socket: () => ChatSocket | null,
    private readonly myId: string,
  ) {}

  /** The composer's text changed. */
  input(conversationId: string, text: string): void {
    if (text.trim().length === 0) return this.stop(conversationId);
    const last = this.lastSent.get(conversationId);
    if (last !== undefined && Date.now() - last < TYPING_REFRESH_MS) return;
    if (this.emit(conversationId, true)) this.lastSent.set(conversationId, Date.now());
  }

  /** Sent, emptied or left the composer. */
  stop(conversationId: string): void {
    if (!this.lastSent.delete(conversationId)) return;
    this.emit(conversationId, false);
  }

  /** Someone else's indicator (my own other tabs echo mine: not shown). */
  received(typing: TypingState): void {
    if (typing.userId === this.myId) return;
    this.store.update((state) => applyTyping(state, typing, Date.now()));
    if (!typing.typing) return;
    const timer = setTimeout(() => {
      this.expiryTimers.delete(timer);
      this.store.update((state) => expireTypists(state, Date.now()));
    }, typing.expiresInMs + TIMER_SLACK_MS);
    this.expiryTimers.add(timer);
  }

  /** Disconnected: stops arrive no more, and what I was typing is cleared by the server. */
  readonly reset = (): void => {
    this.lastSent.clear();
    this.store.update(clearTyping);
  };

  stopTimers(): void {
    for (const timer of this.expiryTimers) clearTimeout(timer);
    this.expiryTimers.clear();
  }

  private emit(conversationId: string, typing: boolean): boolean {
    const socket = this.socket();
    if (!socket?.connected) return false;
    request(socket, "typing", { conversationId, typing }).catch(() => undefined);
    return true;
  }
}
