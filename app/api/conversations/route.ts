import { getDb } from "@/db";
import { requireApiUser } from "@/server/auth/current-user";
import { withErrorResponses } from "@/server/http";
import { syncConversationList } from "@/server/services/conversations";

export const GET = withErrorResponses(async (request: Request) => {
  const user = await requireApiUser();
  const since = new URL(request.url).searchParams.get("since") ?? undefined;
  const list = await syncConversationList({ db: getDb(), userId: user.id, input: { since } });
  // Already JSON: Postgres wrote it (db/queries/conversations.ts).
  return new Response(list as BodyInit, { headers: { "content-type": "application/json" } });
});
