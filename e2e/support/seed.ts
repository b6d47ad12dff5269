import { randomUUID } from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import type { AckResult, ClientToServerEvents, ConversationSummary, MessageDto, ServerToClientEvents } from "../../lib/socket-events";
import type { SignedInUser } from "./fixtures";
import { E2E_BASE_URL } from "./server";

// Fast data seeding through the HTTP API, authenticated by each person's browser-context session.

async function json<T>(response: APIResponse, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what} failed with ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Opens (or creates) the one-to-one conversation between two people; resolves with its id. */
export async function openDirectConversation(from: SignedInUser, to: { id: string }): Promise<string> {
  const response = await from.context.request.post("/api/conversations/direct", { data: { userId: to.id } });
  const { conversation } = await json<{ conversation: ConversationSummary }>(response, "opening a conversation");
  return conversation.id;
}

export async function sendMessage(from: SignedInUser, conversationId: string, body: string, mentions: readonly string[] = []): Promise<MessageDto> {
  const response = await from.context.request.post(`/api/conversations/${conversationId}/messages`, {
    data: { clientMsgId: randomUUID(), body, ...(mentions.length ? { mentions } : {}) },
  });
  return (await json<{ message: MessageDto }>(response, "sending a message")).message;
}

/** Sends one after another, so the seq order is the order given. */
export async function sendMessages(from: SignedInUser, conversationId: string, bodies: readonly string[]): Promise<void> {
  for (const body of bodies) await sendMessage(from, conversationId, body);
}

/** "Message 01", "Message 02", …: no body is a prefix of another, so matching by text is unambiguous. */
export const numberedMessages = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix} ${String(index + 1).padStart(String(count).length, "0")}`);

type SeedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Runs `use` with a Socket.IO connection signed in as that person (their browser context's session
 * cookie), for what the HTTP API does not offer (groups). It is one more device of theirs while it runs.
 */
export async function withSocket<T>(person: SignedInUser, use: (socket: SeedSocket) => Promise<T>): Promise<T> {
  const cookies = await person.context.cookies(E2E_BASE_URL);
  const socket: SeedSocket = io(E2E_BASE_URL, {
    transports: ["websocket"],
    extraHeaders: { cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ") },
    reconnection: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return await use(socket);
  } finally {
    socket.disconnect();
  }
}

async function emit<T>(socket: SeedSocket, event: string, input: unknown): Promise<T> {
  const emitter = socket.timeout(10_000) as unknown as { emitWithAck(event: string, input: unknown): Promise<AckResult<T>> };
  const result = await emitter.emitWithAck(event, input);
  if (!result.ok) throw new Error(`${event} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

/** Creates a group owned by `owner` with these members; resolves with its id. */
export async function createGroup(owner: SignedInUser, title: string, members: ReadonlyArray<{ id: string }>): Promise<string> {
  return withSocket(owner, async (socket) => {
    const { conversation } = await emit<{ conversation: ConversationSummary }>(socket, "groups:create", {
      title,
      memberIds: members.map((member) => member.id),
    });
    return conversation.id;
  });
}

/** Mute and pin, as the person would set them in Conversation settings. */
export async function setConversationSettings(person: SignedInUser, conversationId: string, settings: { muted?: boolean; pinned?: boolean }): Promise<void> {
  await withSocket(person, (socket) => emit(socket, "conversation:settings", { conversationId, ...settings }));
}
