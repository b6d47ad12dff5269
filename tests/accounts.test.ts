import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { findUserByUsername } from "../db/queries/users";
import { AppError } from "../server/errors";
import { registerAccount, verifyCredentials } from "../server/services/accounts";
import { createSignInThrottle, SIGN_IN_MAX_FAILURES } from "../server/services/sign-in-throttle";
import { closeTestDatabase, openTestDatabase, uniqueUsername } from "./helpers/db";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(closeTestDatabase);

async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("registerAccount", () => {
  it("stores an argon2id hash, never the password, and normalises the username", async () => {
    const username = uniqueUsername("Mixed");
    const user = await registerAccount({ db, input: { username, displayName: " Alice ", password: "correct horse" } });
    expect(user.username).toBe(username.toLowerCase());
    expect(user.displayName).toBe("Alice");
    const stored = await findUserByUsername({ db, username: username.toLowerCase() });
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored?.passwordHash).not.toContain("correct horse");
  });

  it("refuses a taken username, case-insensitively", async () => {
    const username = uniqueUsername();
    await registerAccount({ db, input: { username, displayName: "First", password: "password-1" } });
    expect(await errorCodeOf(registerAccount({ db, input: { username: username.toUpperCase(), displayName: "Second", password: "password-2" } }))).toBe(
      "conflict:username",
    );
  });

  it("refuses a too-short password and a malformed username with a clear message", async () => {
    const short = registerAccount({ db, input: { username: uniqueUsername(), displayName: "Bob", password: "short" } });
    await expect(short).rejects.toThrow("Password must be at least 8 characters");
    const bad = registerAccount({ db, input: { username: "no spaces allowed", displayName: "Bob", password: "password-1" } });
    await expect(bad).rejects.toThrow(/Username may contain only/);
    expect(await errorCodeOf(registerAccount({ db, input: { username: 42 } }))).toBe("bad_request:validation");
  });
});

describe("verifyCredentials", () => {
  it("accepts the right password and refuses a wrong one or an unknown user", async () => {
    const throttle = createSignInThrottle();
    const username = uniqueUsername();
    const created = await registerAccount({ db, input: { username, displayName: "Carol", password: "carol-password" } });
    const user = await verifyCredentials({ db, input: { username, password: "carol-password" }, throttle });
    expect(user.id).toBe(created.id);
    expect(await errorCodeOf(verifyCredentials({ db, input: { username, password: "wrong-password" }, throttle }))).toBe("unauthorized:credentials");
    expect(await errorCodeOf(verifyCredentials({ db, input: { username: uniqueUsername(), password: "x" }, throttle }))).toBe(
      "unauthorized:credentials",
    );
  });

  it(`locks a username out after ${SIGN_IN_MAX_FAILURES} failures, even for the right password`, async () => {
    const throttle = createSignInThrottle();
    const username = uniqueUsername();
    await registerAccount({ db, input: { username, displayName: "Dave", password: "dave-password" } });
    for (let attempt = 0; attempt < SIGN_IN_MAX_FAILURES; attempt++) {
      expect(await errorCodeOf(verifyCredentials({ db, input: { username, password: "guess" }, throttle }))).toBe("unauthorized:credentials");
    }
    expect(await errorCodeOf(verifyCredentials({ db, input: { username, password: "dave-password" }, throttle }))).toBe("rate_limited:sign_in");
  });

  it("a success clears earlier failures", async () => {
    const throttle = createSignInThrottle();
    const username = uniqueUsername();
    await registerAccount({ db, input: { username, displayName: "Erin", password: "erin-password" } });
    for (let attempt = 0; attempt < SIGN_IN_MAX_FAILURES - 1; attempt++) {
      await errorCodeOf(verifyCredentials({ db, input: { username, password: "guess" }, throttle }));
    }
    await verifyCredentials({ db, input: { username, password: "erin-password" }, throttle });
    expect(await errorCodeOf(verifyCredentials({ db, input: { username, password: "guess" }, throttle }))).toBe("unauthorized:credentials");
    await verifyCredentials({ db, input: { username, password: "erin-password" }, throttle });
  });
});
