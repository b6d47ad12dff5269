import { randomUUID } from "node:crypto";
import { connect, createServer, type Socket } from "node:net";
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

/** A TCP relay to Redis that can stop passing Redis's answers on, as a Redis that hangs would. */
async function silenceableRedis() {
  const target = new URL(REDIS_URL);
  const links: Array<{ client: Socket; upstream: Socket }> = [];
  let silent = false;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    links.push({ client, upstream });
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => silent || client.write(chunk));
    for (const socket of [client, upstream]) socket.on("error", () => [client, upstream].forEach((end) => end.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`,
    silence: () => void (silent = true),
    close: () => {
      links.forEach(({ client, upstream }) => [client, upstream].forEach((end) => end.destroy()));
      return new Promise((resolve) => server.close(resolve));
    },
  };
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

  it("a user's first event of a window does not wait for Redis, and an instance lets at most that one through beyond a budget others spent", async () => {
    const [instanceA, instanceB] = await limitersOnTwoInstances({ sendsPerSecond: 2 });
    const userId = randomUUID();
    const send = (limiter: Limiter) => codeOf(limiter.consume(userId, "message:send"));
    const onB = [await send(instanceB), await send(instanceB)];
    const onA = [await send(instanceA), await send(instanceA), await send(instanceA)];
    expect(onB).toEqual(["allowed", "allowed"]);
    // A's first event went ahead while its lease was asked for; Redis refused the lease, so A refuses the rest.
    expect(onA).toEqual(["allowed", "rate_limited:events", "rate_limited:events"]);
  });

  it("while Redis does not answer, the instance's own budget decides, after one deadline rather than one per event", async () => {
    const relay = await silenceableRedis();
    const client = createResilientRedisClient(relay.url, "silenced");
    try {
      await until(async () => client.isReady, "redis through the relay");
      const limiter = createEventRateLimiter({ sendsPerSecond: 2, redis: client });
      relay.silence();
      const userId = randomUUID();
      const outcomes = [];
      const answeredAfter = [];
      const startedAt = performance.now();
      for (let send = 0; send < 4; send++) {
        outcomes.push(await codeOf(limiter.consume(userId, "message:send")));
        answeredAfter.push(performance.now() - startedAt);
      }
      // The first event went ahead; the second waited for the lease until the deadline; from then on the
      // local budget of 2 per second decides, neither holding events up nor letting them through unlimited.
      expect(outcomes).toEqual(["allowed", "allowed", "allowed", "rate_limited:events"]);
      expect(answeredAfter[0]).toBeLessThan(1_000);
      expect(answeredAfter[1]).toBeGreaterThanOrEqual(900);
      expect(answeredAfter[3]! - answeredAfter[1]!).toBeLessThan(1_000);
    } finally {
      client.destroy();
      await relay.close();
    }
  });
});
