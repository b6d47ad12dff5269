/**
 * Typed application errors. The code is `<kind>:<subject>`; the kind alone decides the HTTP status,
 * so every access layer (HTTP routes, socket acks) turns errors into responses the same way.
 */
export type ErrorKind = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unavailable";

export type ErrorCode = `${ErrorKind}:${string}`;

const statusByKind: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get kind(): ErrorKind {
    return this.code.split(":")[0] as ErrorKind;
  }

  get status(): number {
    return statusByKind[this.kind];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode | "internal:error"; message: string; details?: Record<string, unknown> };
}

/** The one place an error becomes a response body; unexpected errors are logged, not leaked. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, details: error.details } } };
  }
  console.error("Unexpected error", error);
  return { status: 500, body: { error: { code: "internal:error", message: "Something went wrong on our side" } } };
}
