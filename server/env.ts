import { z } from "zod";

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const optionalUrl = (protocols: RegExp, hint: string) =>
  z.preprocess(emptyAsUndefined, z.url({ protocol: protocols, error: hint }).optional());

/** A VAPID key as web-push prints it: URL-safe base64 without padding, of a fixed length in bytes. */
const vapidKey = (name: string, bytes: number) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(
        (value) => /^[A-Za-z0-9_-]+$/.test(value) && Buffer.from(value, "base64url").length === bytes,
        `${name} must be a URL-safe base64 ${bytes}-byte key (generate a pair with: npx web-push generate-vapid-keys)`,
      )
      .optional(),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.preprocess(emptyAsUndefined, z.string().default("0.0.0.0")),
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "PORT must be a number" })
      .int()
      .min(0, "PORT must be between 0 and 65535")
      .max(65535, "PORT must be between 0 and 65535")
      .default(3000),
  ),
  DATABASE_URL: optionalUrl(/^postgres(ql)?$/, "DATABASE_URL must be a postgres:// or postgresql:// URL"),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./data")),
  PGLITE_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  REDIS_URL: optionalUrl(/^rediss?$/, "REDIS_URL must be a redis:// or rediss:// URL"),
  AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, "AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 32)").optional(),
  ),
  PUBLIC_URL: optionalUrl(/^https?$/, "PUBLIC_URL must be an http:// or https:// URL"),
  GROUP_MAX_MEMBERS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: "GROUP_MAX_MEMBERS must be a number" }).int().min(2, "GROUP_MAX_MEMBERS must be at least 2").default(5_000),
  ),
  RECALL_WINDOW_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(120)),
  EDIT_WINDOW_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(15 * 60)),
  VAPID_PUBLIC_KEY: vapidKey("VAPID_PUBLIC_KEY", 65),
  VAPID_PRIVATE_KEY: vapidKey("VAPID_PRIVATE_KEY", 32),
  VAPID_SUBJECT: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^(mailto:\S+|https:\/\/\S+)$/, "VAPID_SUBJECT must be a mailto: address or an https:// URL").default("mailto:admin@localhost"),
  ),
  ALLOWED_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((list) => (list ? list.split(",").map((origin) => origin.trim()).filter(Boolean) : [])),
  ),
});

export type Env = z.infer<typeof envSchema> & { PGLITE_DIR: string };

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "InvalidEnvironmentError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const env = result.data;
  if (!env.VAPID_PUBLIC_KEY !== !env.VAPID_PRIVATE_KEY) {
    throw new InvalidEnvironmentError(["VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together (or neither, to generate a pair)"]);
  }
  return { ...env, PGLITE_DIR: env.PGLITE_DIR ?? `${env.DATA_DIR}/pglite` };
}

let cached: Env | undefined;

/** The process environment, validated once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
