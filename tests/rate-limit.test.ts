import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../server/errors";
import { createSignInThrottle, signInLimiter, SIGN_IN_MAX_FAILURES } from "../server/services/sign-in-throttle";
import { createEventRateLimiter } from "../server/socket/rate-limit";
import { createResilientRedisClient } from "../server/socket/redis-adapter";
import { until } from "./helpers/cluster";

// A real Redis is required: CI provides one; there is no in-memory stand-in.
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const clients = [createResilientRedisClient(REDIS_URL, "instance-a"), createResilientRedisClient(REDIS_URL, "instance-b")];
afterAll(() => Promise.all(clients.map((client) => client.close())));

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "allowed";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

type Limiter = ReturnType<typeof createEventRateLimiter>;

/** The same budgets on two instances sharing one Redis. */
async function limitersOnTwoInstances(budgets: { sendsPerSecond?: number; eventsPerSecond?: number }): Promise<[Limiter, Limiter]> {
  await until(async () => clients.every((client) => client.isReady), "redis");
  return clients.map((redis) => createEventRateLimiter({ ...budgets, redis })) as [Limiter, Limiter];
}

describe("rate limits shared through Redis", () => {
  it("a user's send budget is one budget across instances", async () => {
    const [instanceA, instanceB] = await limitersOnTwoInstances({ sendsPerSecond: 4 });
    const userId = randomUUID();
    const outcomes = [];
    for (const limiter of [instanceA, instanceB, instanceA, instanceB, instanceA, instanceB]) outcomes.push(await codeOf(limiter.consume(userId, "message:send")));
    expect(outcomes).toEqual(["allowed", "allowed", "allowed", "allowed", "rate_limited:events", "rate_limited:events"]);
  });

  it("a large budget shared by two instances is fully usable and never exceeded", async () => {
    const [instanceA, instanceB] = await limitersOnTwoInstances({ eventsPerSecond: 100 });
    const userId = randomUUID();
    const outcomes: string[] = [];
    for (let index = 0; index < 150; index++) outcomes.push(await codeOf((index % 2 ? instanceB : instanceA).consume(userId, "messages:history")));
    // Every token of the shared budget is spent, and not one more, whichever instance holds it.
    expect(outcomes.filter((outcome) => outcome === "allowed")).toHaveLength(100);
    expect(outcomes.filter((outcome) => outcome === "rate_limited:events")).toHaveLength(50);
  });

  it("failed sign-ins on one instance lock the username on every instance", async () => {
    const [throttleA, throttleB] = clients.map((redis) => createSignInThrottle(signInLimiter(redis)));
    const username = `user_${randomUUID().slice(0, 8)}`;
    for (let attempt = 0; attempt < SIGN_IN_MAX_FAILURES; attempt++) await throttleA!.recordFailure(username);
    expect(await codeOf(throttleB!.assertAllowed(username))).toBe("rate_limited:sign_in");
    await throttleB!.reset(username);
    expect(await codeOf(throttleA!.assertAllowed(username))).toBe("allowed");
  });
});
