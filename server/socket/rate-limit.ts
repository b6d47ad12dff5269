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
 * second they were a large share of what survived the server's young generation under load.)
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
 * slices never add up to more than the budget; at worst a user is refused a little early while another
 * instance still holds unspent tokens. Budgets of 8 or less lease one token at a time.
 *
 * The first event of a window does not wait for its lease, unless this instance refused the user in the
 * last window it saw: it goes ahead while Redis is asked, and the lease pays for it. A user within budget
 * never waits on Redis for that event; the price is that an instance lets through at most one event per
 * user per window beyond the shared budget (when the others have already spent it). A client in a loop
 * is refused, so its next window waits for Redis again.
 */
class LeasedBudget implements Budget {
  /** Per user: tokens leased for the current window, or (none left, `refused`) the window is spent. */
  private readonly leases = new Map<string, { remaining: number; expiresAt: number; refused?: boolean }>();
  /** Per user: the lease being asked for; events that need it wait for it rather than asking again. */
  private readonly leasing = new Map<string, Promise<void>>();
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
    for (;;) {
      const lease = this.leases.get(userId);
      const now = Date.now();
      const current = lease !== undefined && lease.expiresAt > now;
      if (current) {
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
      const inFlight = this.leasing.get(userId);
      if (inFlight) {
        // Its outcome is in `leases` (or `redisQuietUntil`) once it settles: look again.
        await inFlight.catch(() => {});
        continue;
      }
      // Only the window's first event goes ahead: no lease for this window yet, and the last one was not refused.
      const goAhead = !current && lease?.refused !== true;
      const renewal = this.renew(userId, goAhead ? 1 : 0);
      if (goAhead) {
        renewal.catch((error: unknown) => console.error("[rate-limit] lease failed", error));
        return;
      }
      await renewal;
    }
  }

  /** Asks Redis for the next lease, of which `prepaid` tokens were already spent by an event that went ahead. */
  private renew(userId: string, prepaid: number): Promise<void> {
    if (this.leases.size >= SWEEP_AT) this.sweep();
    const renewal = withinDeadline(this.lease(userId), LEASE_DEADLINE_MS).then(
      (granted) => void this.leases.set(userId, { remaining: granted.tokens - prepaid, expiresAt: Date.now() + granted.msLeft }),
      (rejection: unknown) => {
        if (rejection instanceof LeaseTimedOut) this.redisQuietUntil = Date.now() + LEASE_DEADLINE_MS;
        else if (rejection instanceof RateLimiterRes) this.leases.set(userId, { remaining: 0, expiresAt: Date.now() + rejection.msBeforeNext, refused: true });
        else throw rejection;
      },
    );
    this.leasing.set(userId, renewal);
    return renewal.finally(() => this.leasing.delete(userId));
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
