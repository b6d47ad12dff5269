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

/** Wraps a route handler so every thrown error becomes the same JSON error response. */
export function withErrorResponses<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      const { status, body } = toErrorBody(error);
      return Response.json(body, { status });
    }
  };
}
