import { hash, verify } from "@node-rs/argon2";
import type { Database } from "../../db";
import { findUserByUsername, insertUser } from "../../db/queries/users";
import type { PublicUser } from "../../db/schema";
import { credentialsSchema, registrationSchema } from "../../lib/validation";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import type { SignInThrottle } from "./sign-in-throttle";

// OWASP's argon2id baseline (19 MiB, 2 passes); @node-rs/argon2 defaults to argon2id.
const hashOptions = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// Verified when the username does not exist, so a miss costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function registerAccount({ db, input }: { db: Database; input: unknown }): Promise<PublicUser> {
  const { username, displayName, password } = parseInput(registrationSchema, input);
  const passwordHash = await hash(password, hashOptions);
  const user = await insertUser({ db, user: { username, displayName, passwordHash } });
  if (!user) throw new AppError("conflict:username", "That username is already taken");
  return user;
}

export async function verifyCredentials({
  db,
  input,
  throttle,
}: {
  db: Database;
  input: unknown;
  throttle: SignInThrottle;
}): Promise<PublicUser> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) throw new AppError("unauthorized:credentials", "Wrong username or password");
  const { username, password } = parsed.data;

  await throttle.assertAllowed(username);
  const user = await findUserByUsername({ db, username });
  dummyHash ??= hash("not-a-real-password", hashOptions);
  const valid = await verify(user?.passwordHash ?? (await dummyHash), password);
  if (!user || !valid) {
    await throttle.recordFailure(username);
    throw new AppError("unauthorized:credentials", "Wrong username or password");
  }
  await throttle.reset(username);
  return { id: user.id, username: user.username, displayName: user.displayName, avatarUrl: user.avatarUrl };
}
