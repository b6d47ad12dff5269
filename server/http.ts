import type { JsonBytes } from "../lib/socket-events";
import { AppError, toErrorBody } from "./errors";

export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Reads a JSON request body with a size cap; malformed or oversized bodies are clear 4xx errors. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw new AppError("bad_request:too_large", "Request body is too large");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request:json", "Request body must be valid JSON");
  }
}

/** An answer Postgres already wrote as JSON (message pages, the conversation list), sent as the bytes it is. */
export function jsonBytesResponse(bytes: JsonBytes<unknown>): Response {
  return new Response(bytes as BodyInit, { headers: { "content-type": "application/json" } });
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Defence in depth beside SameSite cookies: a state-changing request that a browser marks as coming
 * from another site is refused. Scripts and servers send no Origin and are judged by their session.
 */
function assertSameOrigin(request: Request) {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    // A malformed Origin is treated as foreign.
  }
  if (originHost !== host) throw new AppError("forbidden:origin", "Cross-site requests are not allowed");
}

/** Wraps a route handler so every thrown error becomes the same JSON error response. */
export function withErrorResponses<Args extends [Request, ...unknown[]]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      assertSameOrigin(args[0]);
      return await handler(...args);
    } catch (error) {
      const { status, body } = toErrorBody(error);
      return Response.json(body, { status });
    }
  };
}
