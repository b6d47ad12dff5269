import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors";
import type { RedisConnection } from "./redis-adapter";

export interface RateLimiter {
  /** Throws `rate_limited:events` when a user sends events faster than allowed. */
  consume(userId: string, event: string): Promise<void>;
}

/**
 * A per-second budget, shared by every instance through Redis when there is one; while Redis is
 * unreachable each instance enforces it on its own (the insurance limiter) instead of failing requests.
 */
export function perSecondLimiter({ keyPrefix, points, redis }: { keyPrefix: string; points: number; redis?: RedisConnection }): RateLimiterAbstract {
  const local = new RateLimiterMemory({ keyPrefix, points, duration: 1 });
  if (!redis) return local;
  return new RateLimiterRedis({ storeClient: redis, useRedisPackage: true, keyPrefix: `rl:${keyPrefix}`, points, duration: 1, insuranceLimiter: local });
}

/** Per-user budgets: sends are tighter than reads; both generous for people, tight for scripts in a loop. */
export function createEventRateLimiter({ sendsPerSecond = 30, eventsPerSecond = 100, redis }: { sendsPerSecond?: number; eventsPerSecond?: number; redis?: RedisConnection } = {}): RateLimiter {
  const sends = perSecondLimiter({ keyPrefix: "send", points: sendsPerSecond, redis });
  const events = perSecondLimiter({ keyPrefix: "event", points: eventsPerSecond, redis });
  return {
    async consume(userId, event) {
      try {
        await (event === "message:send" ? sends : events).consume(userId);
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        const retryAfterMs = (rejection as RateLimiterRes).msBeforeNext ?? 1000;
        throw new AppError("rate_limited:events", "Too many requests; slow down", { retryAfterMs });
      }
    },
  };
}
