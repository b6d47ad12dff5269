import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from "rate-limiter-flexible";
import type { RedisConnection } from "../socket/redis-adapter";
import { AppError } from "../errors";

export interface SignInThrottle {
  /** Throws `rate_limited:sign_in` while the username is locked out. */
  assertAllowed(username: string): Promise<void>;
  recordFailure(username: string): Promise<void>;
  reset(username: string): Promise<void>;
}

export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

/** Failed sign-ins counted across every instance when Redis is there; per instance while it is not. */
export function signInLimiter(redis?: RedisConnection): RateLimiterAbstract {
  const options = { keyPrefix: "sign-in", points: SIGN_IN_MAX_FAILURES, duration: SIGN_IN_WINDOW_SECONDS };
  const local = new RateLimiterMemory(options);
  if (!redis) return local;
  return new RateLimiterRedis({ ...options, keyPrefix: "rl:sign-in", storeClient: redis, useRedisPackage: true, insuranceLimiter: local });
}

export function createSignInThrottle(limiter: RateLimiterAbstract = signInLimiter()): SignInThrottle {
  const lockedOut = (username: string, retryAfterMs: number) =>
    new AppError(
      "rate_limited:sign_in",
      `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterMs / 60_000)} minute(s).`,
      { retryAfterSeconds: Math.ceil(retryAfterMs / 1000), username },
    );

  return {
    async assertAllowed(username) {
      const state = await limiter.get(username);
      if (state && state.consumedPoints >= SIGN_IN_MAX_FAILURES) throw lockedOut(username, state.msBeforeNext);
    },
    async recordFailure(username) {
      try {
        await limiter.consume(username);
      } catch (rejection) {
        throw lockedOut(username, (rejection as RateLimiterRes).msBeforeNext);
      }
    },
    async reset(username) {
      await limiter.delete(username);
    },
  };
}
