import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "../errors";
import type { RedisConnection } from "./redis-adapter";

export interface RateLimiter {
  /** Throws `rate_limited:events` when a user sends events faster than allowed. */
  consume(userId: string, event: string): Promise<void>;
}

/** A per-user budget per second: `consume` resolves, or rejects with the RateLimiterRes saying when to retry. */
interface Budget {
  consume(userId: string): Promise<unknown>;
}

/** Leased tokens are forgotten when their window ends; the map is swept once it holds this many users. */
const SWEEP_AT = 10_000;
/** A lease Redis has not granted within this long is abandoned; the instance's own budget decides instead. */
const LEASE_DEADLINE_MS = 1_000;

class LeaseTimedOut extends Error {}

/**
 * Settles as `work` does, or rejects with LeaseTimedOut after `ms`. The timer is cleared as soon as `work`
 * settles. (node-redis's own per-command timeout is an AbortSignal.timeout, which cannot be cleared: its
 * timer, weak reference and finaliser live for the whole timeout, and at one lease per active user per
 * second they were most of what survived the server's young generation under load.)
 */
function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new LeaseTimedOut()), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * One budget shared by every instance through Redis, without a Redis round trip per event: an instance
 * leases a slice of the user's budget for the current window (INCRBY in Redis) and spends it locally. The
 * slices never add up to more than the budget, so the shared limit is never exceeded; at worst a user is
 * refused a little early while another instance still holds unspent tokens. Budgets of 8 or less lease
 * one token at a time (exact).
 */
class LeasedBudget implements Budget {
  /** Per user: tokens leased for the current window, or (none left, `refused`) the window is spent. */
  private readonly leases = new Map<string, { remaining: number; expiresAt: number; refused?: boolean }>();
  private readonly slice: number;
  /** After a lease timed out, the insurance budget decides without asking Redis until then. */
  private redisQuietUntil = 0;

  constructor(
    private readonly shared: RateLimiterAbstract,
    /** Decides alone while Redis does not answer in time (Redis errors reach it through `shared` itself). */
    private readonly insurance: Budget,
    private readonly points: number,
  ) {
    this.slice = Math.max(1, Math.floor(points / 8));
  }

  async consume(userId: string): Promise<void> {
    const lease = this.leases.get(userId);
    const now = Date.now();
    if (lease && lease.expiresAt > now) {
      if (lease.remaining > 0) {
        lease.remaining -= 1;
        return;
      }
      // Redis said the window is spent: refuse without asking again until it ends (a client in a loop
      // costs no Redis call per refused event).
      if (lease.refused) throw new RateLimiterRes(0, lease.expiresAt - now, this.points, false);
    }
    if (now < this.redisQuietUntil) {
      await this.insurance.consume(userId);
      return;
    }
    if (this.leases.size >= SWEEP_AT) this.sweep();
    try {
      const granted = await withinDeadline(this.lease(userId), LEASE_DEADLINE_MS);
      this.leases.set(userId, { remaining: granted.tokens - 1, expiresAt: Date.now() + granted.msLeft });
    } catch (rejection) {
      if (rejection instanceof LeaseTimedOut) {
        this.redisQuietUntil = Date.now() + LEASE_DEADLINE_MS;
        await this.insurance.consume(userId);
        return;
      }
      if (rejection instanceof RateLimiterRes) this.leases.set(userId, { remaining: 0, expiresAt: Date.now() + rejection.msBeforeNext, refused: true });
      throw rejection;
    }
  }

  private async lease(userId: string): Promise<{ tokens: number; msLeft: number }> {
    try {
      const result = await this.shared.consume(userId, this.slice);
      return { tokens: this.slice, msLeft: result.msBeforeNext };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The slice did not fit: take what is left of the budget, give the rest back.
      const left = Math.min(this.slice, this.points - (rejection.consumedPoints - this.slice));
      if (left <= 0) throw rejection;
      await this.shared.reward(userId, this.slice - left);
      return { tokens: left, msLeft: rejection.msBeforeNext };
    }
  }

  private sweep() {
    const now = Date.now();
    for (const [userId, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(userId);
  }
}

/**
 * A per-second budget, shared by every instance through Redis when there is one; while Redis is
 * unreachable each instance enforces it on its own (the insurance limiter) instead of failing requests.
 */
export function perSecondLimiter({ keyPrefix, points, redis }: { keyPrefix: string; points: number; redis?: RedisConnection }): Budget {
  const local = new RateLimiterMemory({ keyPrefix, points, duration: 1 });
  if (!redis) return local;
  // Leases carry their own deadline (withinDeadline), so their commands go without node-redis's.
  const untimed = redis.withCommandOptions({ timeout: 0 });
  const shared = new RateLimiterRedis({ storeClient: untimed, useRedisPackage: true, keyPrefix: `rl:${keyPrefix}`, points, duration: 1, insuranceLimiter: local });
  return new LeasedBudget(shared, local, points);
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
