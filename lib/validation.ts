import { z } from "zod";

/** Rules shared by the forms (instant feedback) and the server (the authority). */
export const PASSWORD_MIN_LENGTH = 8;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Username must be at least 3 characters")
  .max(32, "Username must be at most 32 characters")
  .regex(/^[a-z0-9_.-]+$/, "Username may contain only letters, digits, dots, dashes and underscores");

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Display name is required")
  .max(64, "Display name must be at most 64 characters");

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(256, "Password must be at most 256 characters");

export const registrationSchema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});

export const credentialsSchema = z.object({
  username: usernameSchema,
  password: z.string().min(1).max(256),
});

export type Registration = z.infer<typeof registrationSchema>;
