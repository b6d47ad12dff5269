import { randomUUID } from "node:crypto";
import type { Database } from "../../db";
import { parseJsonBytes, type AckResult, type ConversationListSync, type JsonBytes, type MessageDto, type MessagePage, type ServerToClientEvents } from "../../lib/socket-events";
import { registerAccount } from "../../server/services/accounts";
import { uniqueUsername } from "./db";
import { connectClient, sessionCookieFor, whenConnected, type TestClient } from "./socket-server";

export interface Person {
  id: string;
  displayName: string;
  cookie: string;
  /** Opens another connected device (tab) for this person. */
  connect(): Promise<TestClient>;
}

export async function createPerson(db: Database, url: string, displayName: string): Promise<Person> {
  const user = await registerAccount({ db, input: { username: uniqueUsername(displayName.toLowerCase().replace(/[^a-z0-9]/g, "")), displayName, password: "password-123" } });
  const cookie = await sessionCookieFor(user.id);
  return {
    id: user.id,
    displayName,
    cookie,
    async connect() {
      const client = connectClient(url, { cookie });
      await whenConnected(client);
      return client;
    },
  };
}

/** Emits with an acknowledgement and unwraps it; a refusal rejects with the error code as message. */
export async function call<T>(client: TestClient, event: string, input?: unknown): Promise<T> {
  const result = (await (client as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<AckResult<T>> }).emitWithAck(
    event,
    ...(input === undefined ? [] : [input]),
  )) as AckResult<T>;
  if (!result.ok) throw Object.assign(new Error(result.error.code), { ackError: result.error });
  return result.data;
}

/** messages:since and messages:history answer with the page's JSON text. */
export async function callPage(client: TestClient, event: "messages:since" | "messages:history", input: unknown): Promise<MessagePage> {
  return parseJsonBytes(await call<JsonBytes<MessagePage>>(client, event, input));
}

/** conversations:sync answers with the list's JSON text; `since` asks for what changed after a cursor. */
export async function callList(client: TestClient, since?: string): Promise<ConversationListSync> {
  return parseJsonBytes(await call<JsonBytes<ConversationListSync>>(client, "conversations:sync", since === undefined ? {} : { since }));
}

export function send(client: TestClient, conversationId: string, body: string, clientMsgId: string = randomUUID()) {
  return call<{ message: MessageDto }>(client, "message:send", { conversationId, clientMsgId, body }).then((data) => data.message);
}

/** Collects every event of one kind a client receives. */
export function collect<E extends keyof ServerToClientEvents>(client: TestClient, event: E) {
  const received: Parameters<ServerToClientEvents[E]>[0][] = [];
  client.on(event as never, ((payload: Parameters<ServerToClientEvents[E]>[0]) => received.push(payload)) as never);
  return received;
}

/** Resolves once `predicate` holds for the collected events (checked on every new event). */
export function waitFor<E extends keyof ServerToClientEvents>(client: TestClient, event: E, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const check = () => {
      if (!predicate()) return;
      client.off(event as never, check as never);
      resolve();
    };
    client.on(event as never, check as never);
  });
}

/** Devices opened during a test, all disconnected by `disconnectAll` (call it in afterEach). */
export function deviceRegistry() {
  const clients: TestClient[] = [];
  return {
    async device(person: Person) {
      const client = await person.connect();
      clients.push(client);
      return client;
    },
    disconnectAll() {
      for (const client of clients.splice(0)) client.disconnect();
    },
  };
}
