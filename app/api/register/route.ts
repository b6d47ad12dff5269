import { getDb } from "@/db";
import { registerAccount } from "@/server/services/accounts";
import { readJsonBody, withErrorResponses } from "@/server/http";

export const POST = withErrorResponses(async (request: Request) => {
  const user = await registerAccount({ db: getDb(), input: await readJsonBody(request) });
  return Response.json({ user }, { status: 201 });
});
