import type { ChatSocket } from "@/lib/socket-client";
import type { ConversationSummary, CreateGroupInput, UserDto } from "@/lib/socket-events";
import { mergeSummaries } from "./chat-state";
import type { ChatStore } from "./chat-store";
import { applyMembers, rememberUsers } from "./group-state";
import { request, requireConnected } from "./request";
import { singleFlightPerKey } from "./single-flight";

/**
 * Group management and member lists. Every change is confirmed by the server's system message (pushed to
 * the group), which is what makes the open views reload their member lists; the acks only update my own
 * list entry.
 */
export class Groups {

  constructor(
    private readonly store: ChatStore,
    private readonly socket: () => ChatSocket | null,
  ) {}

  private get connected() {
    return requireConnected(this.socket());
  }

  async create(input: CreateGroupInput): Promise<ConversationSummary> {
    const { conversation } = await request(this.connected, "groups:create", input);
    this.store.update((state) => mergeSummaries(state, [conversation]));
    return conversation;
  }

  async update(conversationId: string, fields: { title?: string; avatarUrl?: string | null; announcement?: string | null }): Promise<void> {
    const { conversation } = await request(this.connected, "groups:update", { conversationId, ...fields });
    this.store.update((state) => mergeSummaries(state, [conversation]));
  }

  async addMembers(conversationId: string, userIds: string[]): Promise<void> {
    await request(this.connected, "groups:add-members", { conversationId, userIds });
    void this.loadMembers(conversationId);
  }

  async removeMember(conversationId: string, userId: string): Promise<void> {
    await request(this.connected, "groups:remove-member", { conversationId, userId });
    void this.loadMembers(conversationId);
  }

  async leave(conversationId: string): Promise<void> {
    await request(this.connected, "groups:leave", { conversationId });
  }

  async setRole(conversationId: string, userId: string, role: "admin" | "member"): Promise<void> {
    await request(this.connected, "groups:set-role", { conversationId, userId, role });
    void this.loadMembers(conversationId);
  }

  async transferOwnership(conversationId: string, userId: string): Promise<void> {
    await request(this.connected, "groups:transfer-ownership", { conversationId, userId });
    void this.loadMembers(conversationId);
  }

  async readers(conversationId: string, seq: number): Promise<UserDto[]> {
    const { readers } = await request(this.connected, "message:readers", { conversationId, seq });
    this.store.update((state) => rememberUsers(state, readers));
    return readers;
  }

  /** (Re)loads a group's members and read positions; concurrent calls share one request, a later call reloads. */
  readonly loadMembers = singleFlightPerKey((conversationId) => this.loadMembersOnce(conversationId));

  /** Member lists this device shows, to reload after a reconnection (read positions moved meanwhile). */
  reloadLoaded(): void {
    for (const conversationId of Object.keys(this.store.getState().members)) void this.loadMembers(conversationId);
  }

  private async loadMembersOnce(conversationId: string): Promise<void> {
    const socket = this.socket();
    const summary = this.store.getState().conversations[conversationId];
    if (!socket?.connected || summary?.kind !== "group" || summary.leftSeq !== null) return;
    try {
      const loaded = await request(socket, "groups:members", { conversationId });
      this.store.update((state) => applyMembers(state, conversationId, loaded));
    } catch {
      // Shown without receipts or member names until the next reload.
    }
  }
}
