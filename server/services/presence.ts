import type { PresenceStatus } from "../../lib/socket-events";
import type { RedisConnection } from "../socket/redis-adapter";

/**
 * Seed 004's user states from the connections a user has, on any instance: online while any connection
 * is visible, away while all are hidden, offline with none. Connection ids only; the gateway maps sockets.
 */
export interface PresenceStore {
  status(userId: string): Promise<PresenceStatus>;
  /** Records a connection's visibility; returns the user's status if it changed. */
  set(userId: string, connectionId: string, visible: boolean): Promise<PresenceStatus | null>;
  /** Forgets a connection; returns the user's status if it changed. */
  remove(userId: string, connectionId: string): Promise<PresenceStatus | null>;
  /** Users whose connections all expired (their instance died); each is reported by one instance only. */
  sweepExpired(): Promise<string[]>;
  close(): void;
}

function statusOf(visibilities: Iterable<boolean>): PresenceStatus {
  let any = false;
  for (const visible of visibilities) {
    if (visible) return "online";
    any = true;
  }
  return any ? "away" : "offline";
}

/** One instance: connections live in memory and die with the process. */
export class LocalPresenceStore implements PresenceStore {
  private readonly users = new Map<string, Map<string, boolean>>();

  async status(userId: string) {
    return statusOf(this.users.get(userId)?.values() ?? []);
  }

  async set(userId: string, connectionId: string, visible: boolean) {
    const before = await this.status(userId);
    let connections = this.users.get(userId);
    if (!connections) this.users.set(userId, (connections = new Map()));
    connections.set(connectionId, visible);
    const after = await this.status(userId);
    return after === before ? null : after;
  }

  async remove(userId: string, connectionId: string) {
    const before = await this.status(userId);
    const connections = this.users.get(userId);
    connections?.delete(connectionId);
    if (connections?.size === 0) this.users.delete(userId);
    const after = await this.status(userId);
    return after === before ? null : after;
  }

  async sweepExpired() {
    return [];
  }

  close() {}
}

/**
 * Several instances: each connection is a hash field `presence:<user>` → `<visible>:<expiresAt>`, renewed
 * by its instance's heartbeat. A SIGKILLed instance stops renewing, its connections expire, and the
 * sweep (any instance; `ZREM` decides which one reports) turns those users offline.
 */
export class RedisPresenceStore implements PresenceStore {
  static readonly TTL_MS = 30_000;
  static readonly HEARTBEAT_MS = 10_000;
  private readonly local = new Map<string, Map<string, boolean>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly redis: RedisConnection) {
    this.heartbeat = setInterval(() => void this.renewAll(), RedisPresenceStore.HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private key(userId: string) {
    return `presence:${userId}`;
  }

  async status(userId: string) {
    const fields = await this.redis.hGetAll(this.key(userId));
    const now = Date.now();
    const live: boolean[] = [];
    for (const value of Object.values(fields)) {
      const [visible, expiresAt] = value.split(":");
      if (Number(expiresAt) > now) live.push(visible === "1");
    }
    return statusOf(live);
  }

  private async write(userId: string, connections: Map<string, boolean>) {
    const expiresAt = Date.now() + RedisPresenceStore.TTL_MS;
    const fields = Object.fromEntries([...connections].map(([id, visible]) => [id, `${visible ? 1 : 0}:${expiresAt}`]));
    await this.redis
      .multi()
      .hSet(this.key(userId), fields)
      .pExpire(this.key(userId), RedisPresenceStore.TTL_MS * 2)
      .zAdd("presence:expiry", { score: expiresAt, value: userId }, { GT: true })
      .exec();
  }

  private async renewAll() {
    for (const [userId, connections] of this.local) {
      await this.write(userId, connections).catch(() => undefined);
    }
  }

  async set(userId: string, connectionId: string, visible: boolean) {
    let connections = this.local.get(userId);
    if (!connections) this.local.set(userId, (connections = new Map()));
    connections.set(connectionId, visible);
    const before = await this.status(userId);
    await this.write(userId, new Map([[connectionId, visible]]));
    const after = await this.status(userId);
    return after === before ? null : after;
  }

  async remove(userId: string, connectionId: string) {
    const connections = this.local.get(userId);
    connections?.delete(connectionId);
    if (connections?.size === 0) this.local.delete(userId);
    const before = await this.status(userId);
    await this.redis.hDel(this.key(userId), connectionId);
    const after = await this.status(userId);
    // Reported here; the sweep must not report it again.
    if (after === "offline") await this.redis.zRem("presence:expiry", userId);
    return after === before ? null : after;
  }

  async sweepExpired() {
    const due = await this.redis.zRangeByScore("presence:expiry", 0, Date.now(), { LIMIT: { offset: 0, count: 200 } });
    const offline: string[] = [];
    for (const userId of due) {
      if ((await this.status(userId)) !== "offline") continue;
      if ((await this.redis.zRem("presence:expiry", userId)) === 1) offline.push(userId);
    }
    return offline;
  }

  close() {
    clearInterval(this.heartbeat);
  }
}
