import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors";

export interface RateLimiter {
  /** Throws `rate_limited:events` when a user sends events faster than allowed. */
  consume(userId: string, event: string): Promise<void>;
}

/** Per-user budgets: sends are tighter than reads; both generous for people, tight for scripts in a loop. */
export function createEventRateLimiter({ sendsPerSecond = 30, eventsPerSecond = 100 } = {}): RateLimiter {
  const sends = new RateLimiterMemory({ keyPrefix: "send", points: sendsPerSecond, duration: 1 });
  const events = new RateLimiterMemory({ keyPrefix: "event", points: eventsPerSecond, duration: 1 });
  return {
    async consume(userId, event) {
      try {
        await (event === "message:send" ? sends : events).consume(userId);
      } catch (rejection) {
        const retryAfterMs = (rejection as RateLimiterRes).msBeforeNext ?? 1000;
        throw new AppError("rate_limited:events", "Too many requests; slow down", { retryAfterMs });
      }
    },
  };
}
