import type { z } from "zod";
import { AppError } from "./errors";

/** Validates untrusted input; the first problem becomes a clear `bad_request:validation` error. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  throw new AppError("bad_request:validation", issues[0]?.message ?? "Invalid input", { issues });
}
