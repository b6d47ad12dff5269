import type { Message } from "../../db/schema";
import type { MessageDto } from "../../lib/socket-events";

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
