import type { ConversationRow } from "../../db/queries/conversations";
import type { Message } from "../../db/schema";
import type { ConversationSummary, MessageDto } from "../../lib/socket-events";
import { GROUP_TIERS } from "./audience";

export function toMessageDto(message: Message): MessageDto {
  return {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    senderId: message.senderId,
    clientMsgId: message.clientMsgId,
    kind: message.kind,
    body: message.body,
    mentions: message.mentions ?? [],
    meta: message.meta ?? null,
    createdAt: message.createdAt.toISOString(),
    recalledAt: message.recalledAt?.toISOString() ?? null,
    editedAt: message.editedAt?.toISOString() ?? null,
    modVersion: message.modVersion,
  };
}

export function toConversationSummary(row: ConversationRow): ConversationSummary {
  const { conversation, member, peer } = row;
  const readFloor = Math.max(member.lastReadSeq, member.clearedSeq, member.joinedSeq);
  // A former member's conversation ends where they left it.
  const lastSeq = member.leftSeq ?? conversation.lastSeq;
  return {
    id: conversation.id,
    kind: conversation.kind,
    title: conversation.kind === "direct" ? (peer?.displayName ?? "Deleted user") : (conversation.title ?? "Group"),
    avatarUrl: conversation.kind === "direct" ? (peer?.avatarUrl ?? null) : conversation.avatarUrl,
    peer,
    lastSeq,
    lastMessage: row.lastMessage ? toMessageDto(row.lastMessage) : null,
    lastMessageAt: conversation.lastMessageAt?.toISOString() ?? null,
    lastReadSeq: member.lastReadSeq,
    // A former member has nothing left to read: the conversation is frozen for them.
    unreadCount: member.leftSeq === null ? Math.max(lastSeq - readFloor, 0) : 0,
    peerLastDeliveredSeq: row.peerLastDeliveredSeq ?? 0,
    peerLastReadSeq: row.peerLastReadSeq ?? 0,
    muted: member.muted,
    pinned: member.pinned,
    blockedByMe: row.blockedByMe,
    clearedSeq: member.clearedSeq,
    mentioned: member.leftSeq === null && member.mentionSeq > readFloor,
    memberCount: conversation.memberCount,
    myRole: member.role,
    announcement: conversation.announcement,
    leftSeq: member.leftSeq,
    receiptsEnabled: conversation.memberCount <= GROUP_TIERS.receiptsMax,
    modVersion: conversation.modVersion,
  };
}
