import type { ChatSocket } from "@/lib/socket-client";
import type { Presence as PresenceDto } from "@/lib/socket-events";
import { applyPresence } from "./activity-state";
import type { ChatState } from "./chat-state";
import type { ChatStore } from "./chat-store";
import { request } from "./request";

const isVisible = () => document.visibilityState === "visible";

/** The people whose presence this device shows: the peers of one-to-one conversations. */
function peersOf(state: ChatState): string[] {
  const peers = new Set<string>();
  for (const summary of Object.values(state.conversations)) if (summary.peer) peers.add(summary.peer.id);
  return [...peers];
}

/**
 * Presence both ways: this tab reports whether it is visible (all tabs hidden makes me Away), and the
 * device follows the peers it shows. Subscriptions belong to the connection, so every (re)connect
 * subscribes to everyone again; new conversations add their peers.
 */
export class PresenceTracker {
  private readonly subscribed = new Set<string>();
  private conversations: ChatState["conversations"] | null = null;

  constructor(
    private readonly store: ChatStore,
    private readonly socket: () => ChatSocket | null,
  ) {}

  connected(): void {
    this.subscribed.clear();
    this.conversations = null;
    this.follow();
    // The handshake carried the visibility at connection time; it may have changed while connecting.
    this.visibilityChanged();
  }

  /** Subscribes to peers not followed yet (cheap to call on every state change). */
  follow(): void {
    const state = this.store.getState();
    if (state.conversations === this.conversations) return;
    const socket = this.socket();
    if (!socket?.connected) return;
    this.conversations = state.conversations;
    const newcomers = peersOf(state).filter((userId) => !this.subscribed.has(userId));
    if (newcomers.length === 0) return;
    for (const userId of newcomers) this.subscribed.add(userId);
    request(socket, "presence:subscribe", { userIds: newcomers }).then(
      ({ presences }) => this.received(presences),
      () => {
        for (const userId of newcomers) this.subscribed.delete(userId);
      },
    );
  }

  received(presences: readonly PresenceDto[]): void {
    this.store.update((state) => applyPresence(state, presences));
  }

  visibilityChanged(): void {
    const socket = this.socket();
    if (socket?.connected) request(socket, "presence:visibility", { visible: isVisible() }).catch(() => undefined);
  }
}
