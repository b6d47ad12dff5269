import { getDb } from "@/db";
import { requireApiUser } from "@/server/auth/current-user";
import { jsonBytesResponse, withErrorResponses } from "@/server/http";
import { syncConversationList } from "@/server/services/conversations";

export const GET = withErrorResponses(async (request: Request) => {
  const user = await requireApiUser();
  const since = new URL(request.url).searchParams.get("since") ?? undefined;
  return jsonBytesResponse(await syncConversationList({ db: getDb(), userId: user.id, input: { since } }));
});
