import type { ChatSocket } from "@/lib/socket-client";
import type { DndSettings } from "@/lib/socket-events";
import { mergeSummaries, type ChatState } from "./chat-state";
import type { ChatStore } from "./chat-store";
import { request, requestInputless, requireConnected } from "./request";

/** Do-not-disturb is on now: enabled, and its end time (if any) is still ahead. */
export function dndActive(dnd: DndSettings | null, now = Date.now()): boolean {
  return !!dnd?.enabled && (dnd.until === null || Date.parse(dnd.until) > now);
}

const withDnd = (dnd: DndSettings) => (state: ChatState): ChatState => ({ ...state, dnd });

/** Mute and pin per conversation, and the global do-not-disturb: stored by the server, the same on every device. */
export class Preferences {
  constructor(
    private readonly store: ChatStore,
    private readonly socket: () => ChatSocket | null,
  ) {}

  async setConversation(conversationId: string, settings: { muted?: boolean; pinned?: boolean }): Promise<void> {
    const { conversation } = await request(requireConnected(this.socket()), "conversation:settings", { conversationId, ...settings });
    this.store.update((state) => mergeSummaries(state, [conversation]));
  }

  async setDnd(enabled: boolean, until: string | null): Promise<void> {
    const { dnd } = await request(requireConnected(this.socket()), "settings:dnd", { enabled, until });
    this.store.update(withDnd(dnd));
  }

  async load(): Promise<void> {
    const socket = this.socket();
    if (!socket?.connected) return;
    try {
      const { dnd } = await requestInputless(socket, "settings:get");
      this.store.update(withDnd(dnd));
    } catch {
      // Loaded again on the next connection.
    }
  }

  received(dnd: DndSettings): void {
    this.store.update(withDnd(dnd));
  }
}
