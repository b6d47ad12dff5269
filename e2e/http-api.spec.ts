import { randomBytes, randomUUID } from "node:crypto";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { E2E_BASE_URL } from "./support/server";

// The HTTP send channel for business systems and scripts: same service, idempotency and errors as the socket.

async function apiUser(displayName: string): Promise<{ id: string; api: APIRequestContext }> {
  const api = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  const credentials = { username: `${displayName.toLowerCase()}_${randomBytes(4).toString("hex")}`, password: `pw-${randomBytes(6).toString("hex")}` };
  const registered = await api.post("/api/register", { data: { ...credentials, displayName } });
  expect(registered.status()).toBe(201);
  const { user } = (await registered.json()) as { user: { id: string } };
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signedIn = await api.post("/api/auth/callback/credentials", { form: { csrfToken, ...credentials, json: "true" } });
  expect(signedIn.ok()).toBe(true);
  return { id: user.id, api };
}

test("a script sends through POST /api/conversations/:id/messages with idempotency and stable error codes", async () => {
  const [alice, bob, mallory] = await Promise.all([apiUser("Alice"), apiUser("Bob"), apiUser("Mallory")]);
  const opened = await alice.api.post("/api/conversations/direct", { data: { userId: bob.id } });
  expect(opened.status()).toBe(201);
  const { conversation } = (await opened.json()) as { conversation: { id: string } };
  const again = await bob.api.post("/api/conversations/direct", { data: { userId: alice.id } });
  expect(((await again.json()) as { conversation: { id: string } }).conversation.id).toBe(conversation.id);

  const url = `/api/conversations/${conversation.id}/messages`;
  const clientMsgId = randomUUID();
  const first = await alice.api.post(url, { data: { clientMsgId, body: "from a script" } });
  expect(first.status()).toBe(201);
  const { message } = (await first.json()) as { message: { seq: number; id: string; createdAt: string; senderId: string } };
  expect(message).toMatchObject({ seq: 1, senderId: alice.id });

  const replay = await alice.api.post(url, { data: { clientMsgId, body: "from a script" } });
  expect(replay.status()).toBe(200);
  expect(((await replay.json()) as { message: unknown }).message).toEqual(message);

  const history = await bob.api.get(url);
  expect(((await history.json()) as { messages: Array<{ body: string }> }).messages.map((entry) => entry.body)).toEqual(["from a script"]);

  const expectError = async (response: Awaited<ReturnType<APIRequestContext["post"]>>, status: number, code: string) => {
    expect(response.status()).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  };
  await expectError(await mallory.api.post(url, { data: { clientMsgId: randomUUID(), body: "intrusion" } }), 403, "forbidden:conversation");
  await expectError(await mallory.api.get(url), 403, "forbidden:conversation");
  await expectError(await alice.api.post(url, { data: { clientMsgId: randomUUID(), body: "" } }), 400, "bad_request:validation");
  await expectError(await alice.api.post(url, { data: { clientMsgId: randomUUID(), body: "x".repeat(4001) } }), 400, "bad_request:validation");
  await expectError(await alice.api.post(url, { data: Buffer.from("not json{"), headers: { "content-type": "application/json" } }), 400, "bad_request:json");
  const anonymous = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  await expectError(await anonymous.post(url, { data: { clientMsgId: randomUUID(), body: "who?" } }), 401, "unauthorized:session");

  const list = (await (await bob.api.get("/api/conversations")).json()) as { totalUnread: number; conversations: Array<{ id: string; unreadCount: number }> };
  expect(list.totalUnread).toBe(1);
  expect(list.conversations.find((entry) => entry.id === conversation.id)?.unreadCount).toBe(1);
  await Promise.all([alice.api.dispose(), bob.api.dispose(), mallory.api.dispose(), anonymous.dispose()]);
});

test("a state-changing API call from another site is refused", async () => {
  const alice = await apiUser("Alice");
  const response = await alice.api.post("/api/conversations/direct", {
    data: { userId: randomUUID() },
    headers: { origin: "https://evil.example" },
  });
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden:origin");
  await alice.api.dispose();
});
