import { getDb } from "@/db";
import { requireApiUser } from "@/server/auth/current-user";
import { jsonBytesResponse, readJsonBody, withErrorResponses } from "@/server/http";
import { getPushNotifier } from "@/server/push/registry";
import { messageHistory, sendMessage } from "@/server/services/messages";
import { getRealtime, publishMessage } from "@/server/socket/publish";

type Context = { params: Promise<{ id: string }> };

/** The HTTP send channel for business systems and scripts: the same service, idempotency and errors as the socket. */
export const POST = withErrorResponses(async (request: Request, { params }: Context) => {
  const user = await requireApiUser();
  const body = await readJsonBody(request);
  const input = typeof body === "object" && body !== null ? { ...body, conversationId: (await params).id } : body;
  const sent = await sendMessage({ db: getDb(), senderId: user.id, input });
  if (!sent.duplicate) {
    publishMessage(getRealtime(), sent);
    getPushNotifier()?.enqueue(sent);
  }
  return Response.json({ message: sent.message }, { status: sent.duplicate ? 200 : 201 });
});

export const GET = withErrorResponses(async (request: Request, { params }: Context) => {
  const user = await requireApiUser();
  const search = new URL(request.url).searchParams;
  const number = (name: string) => (search.has(name) ? Number(search.get(name)) : undefined);
  const page = await messageHistory({
    db: getDb(),
    userId: user.id,
    input: { conversationId: (await params).id, beforeSeq: number("beforeSeq"), limit: number("limit") },
  });
  return jsonBytesResponse(page);
});
