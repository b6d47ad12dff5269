import type { ChatSocket } from "@/lib/socket-client";
import type { AckResult, ClientToServerEvents } from "@/lib/socket-events";

type RequestEvent = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [unknown, (result: AckResult<infer _>) => void] ? E : never;
}[keyof ClientToServerEvents];
type RequestInput<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
type RequestData<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[1] extends (result: AckResult<infer T>) => void ? T : never;

type InputlessEvent = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [(result: AckResult<infer _>) => void] ? E : never;
}[keyof ClientToServerEvents];
type InputlessData<E extends InputlessEvent> = Parameters<ClientToServerEvents[E]>[0] extends (result: AckResult<infer T>) => void ? T : never;

const REQUEST_TIMEOUT_MS = 10_000;

/** The server answered with `{ ok: false }`: a definite answer, unlike a timeout or a dropped connection. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/** Errors that retrying the same request cannot fix. */
export function isPermanentError(error: unknown): error is RequestError {
  return error instanceof RequestError && /^(forbidden|bad_request|not_found|conflict|unauthorized):/.test(error.code);
}

/**
 * Emits an event and resolves with the acknowledgement's data. Rejects with a RequestError when the
 * server refuses, or with socket.io's own Error on timeout or disconnection.
 */
export async function request<E extends RequestEvent>(
  socket: ChatSocket,
  event: E,
  input: RequestInput<E>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<RequestData<E>> {
  const emitter = socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, input: unknown): Promise<AckResult<RequestData<E>>> };
  const result = await emitter.emitWithAck(event, input);
  if (!result.ok) throw new RequestError(result.error.code, result.error.message, result.error.details);
  return result.data;
}

/** `request` for the events that take no input, only the acknowledgement. */
export async function requestInputless<E extends InputlessEvent>(socket: ChatSocket, event: E, timeoutMs = REQUEST_TIMEOUT_MS): Promise<InputlessData<E>> {
  const emitter = socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string): Promise<AckResult<InputlessData<E>>> };
  const result = await emitter.emitWithAck(event);
  if (!result.ok) throw new RequestError(result.error.code, result.error.message, result.error.details);
  return result.data;
}

const OFFLINE = new RequestError("unavailable:offline", "You are offline");

/** The socket, for actions the user asked for: offline they fail at once with a clear message. */
export function requireConnected(socket: ChatSocket | null): ChatSocket {
  if (!socket?.connected) throw OFFLINE;
  return socket;
}
