import { getDb } from "@/db";
import { requireApiUser } from "@/server/auth/current-user";
import { readJsonBody, withErrorResponses } from "@/server/http";
import { openDirectConversation } from "@/server/services/conversations";
import { getRealtime, publishConversationChanged } from "@/server/socket/publish";

export const POST = withErrorResponses(async (request: Request) => {
  const user = await requireApiUser();
  const db = getDb();
  const { conversation, created, memberIds } = await openDirectConversation({ db, userId: user.id, input: await readJsonBody(request) });
  if (created) await publishConversationChanged(getRealtime(), { db, userIds: memberIds, conversationId: conversation.id });
  return Response.json({ conversation }, { status: created ? 201 : 200 });
});
