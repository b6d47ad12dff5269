import { createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient, type RedisClientType } from "redis";
import type { Namespace } from "socket.io";
import { Adapter, MessageType, type BroadcastOptions, type ClusterAdapter } from "socket.io-adapter";
import { PeerWatch, startsWith } from "./peer-watch";

/** A command to the shared state that Redis does not answer within this long fails, so no caller hangs. */
const COMMAND_TIMEOUT_MS = 1_000;
/** While the oldest publish has waited this long for Redis, new publishes are dropped instead of queued. */
const PUBLISH_STALL_MS = 1_000;

export type RedisConnection = RedisClientType;

/**
 * A Redis client that degrades instead of hanging or crashing: it reconnects forever with capped
 * backoff, fails commands at once while disconnected (no unbounded offline queue), times commands out
 * (unless `timeCommands` is false: for commands nobody awaits),
 * and logs state changes instead of throwing them.
 */
export function createResilientRedisClient(
  url: string,
  name: string,
  { subscriber = false, timeCommands = true, onLost }: { subscriber?: boolean; timeCommands?: boolean; onLost?: () => void } = {},
): RedisConnection {
  const client = createClient({
    url,
    // Subscriptions made while Redis is away are queued and applied on connect (and re-applied by the
    // client after every reconnect); commands fail fast instead.
    disableOfflineQueue: !subscriber,
    pingInterval: 5_000,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  }) as RedisConnection;
  let healthy = false;
  client.on("ready", () => {
    if (!healthy) console.log(`[redis ${name}] ready`);
    healthy = true;
  });
  client.on("error", (error: Error) => {
    if (healthy) console.error(`[redis ${name}] ${error.message}; reconnecting`);
    healthy = false;
    onLost?.();
  });
  // Never awaited at start-up: an instance serves HTTP and local sockets while Redis is unreachable.
  client.connect().catch((error: unknown) => console.error(`[redis ${name}] could not connect`, error));
  if (subscriber) return client;
  // Untimed commands need timeout 0: node-redis otherwise times each out after 5 s, with a timer and an abort signal.
  return client.withCommandOptions({ timeout: timeCommands ? COMMAND_TIMEOUT_MS : 0 }) as unknown as RedisConnection;
}

/**
 * Applies every broadcast and room change to this instance's own sockets at once and publishes it to the
 * others alongside. Socket.IO's cluster adapter awaits each publish first (for connection-state recovery
 * offsets, which we do not use): a Redis round trip before every local delivery, a publish that timed out
 * could release its delivery ahead of earlier ones, and a delivery that skipped the wait could overtake a
 * room join still waiting. Now local effects happen in call order, and publishes leave in that same order
 * on one connection, so every other instance applies them in order too.
 */
function applyLocallyFirst(adapter: ClusterAdapter, peers: PeerWatch): ClusterAdapter {
  const publish = (adapter as unknown as { publish: (message: unknown) => void }).publish.bind(adapter);
  const encode = (opts: BroadcastOptions) => ({ rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags });
  // `uid` first, so this instance's own publishes, which Redis sends back to it, are recognised by their
  // first bytes (see skipOwnEchoes); the cluster adapter fills it in.
  const alsoPublish = (opts: BroadcastOptions, message: { type: MessageType; data: Record<string, unknown> }) => {
    if (!opts.flags?.local && !peers.alone()) publish({ uid: undefined, type: message.type, data: { ...message.data, opts: encode(opts) } });
  };
  adapter.broadcast = async (packet: unknown, opts: BroadcastOptions) => {
    alsoPublish(opts, { type: MessageType.BROADCAST, data: { packet } });
    Adapter.prototype.broadcast.call(adapter, packet, opts);
  };
  adapter.addSockets = async (opts: BroadcastOptions, rooms: string[]) => {
    alsoPublish(opts, { type: MessageType.SOCKETS_JOIN, data: { rooms } });
    Adapter.prototype.addSockets.call(adapter, opts, rooms);
  };
  adapter.delSockets = async (opts: BroadcastOptions, rooms: string[]) => {
    alsoPublish(opts, { type: MessageType.SOCKETS_LEAVE, data: { rooms } });
    Adapter.prototype.delSockets.call(adapter, opts, rooms);
  };
  return adapter;
}

type RawMessageHandler = (rawMessage: Buffer, channel: Buffer | string) => void;

/**
 * Every instance subscribed to a channel gets each publish on it, the publisher included: a direct message
 * (two user rooms) goes to the namespace channel every instance reads. The adapter would parse this
 * instance's own publishes only to discard them by `uid`; they are dropped unparsed instead, and so are
 * the peer watch's probes, once it has seen them.
 */
function skipOwnEchoes(adapter: ClusterAdapter, peers: PeerWatch): ClusterAdapter {
  const target = adapter as unknown as { uid: string; onRawMessage: RawMessageHandler };
  const ownPrefix = Buffer.from(`{"uid":${JSON.stringify(target.uid)},`);
  const onRawMessage = target.onRawMessage.bind(adapter);
  target.onRawMessage = (rawMessage, channel) => {
    if (startsWith(rawMessage, ownPrefix)) return;
    if (peers.receive(rawMessage)) return;
    onRawMessage(rawMessage, channel);
  };
  return adapter;
}

/**
 * New sockets of the namespace wait until this instance is sure to receive every other instance's
 * broadcasts (see PeerWatch). The adapter is made with its namespace, before the gateway adds its own
 * middleware, so this runs first.
 */
function holdSocketsUntilAnnounced(nsp: Namespace, peers: PeerWatch) {
  nsp.use((_socket, next) => {
    if (peers.isAnnounced) next();
    else void peers.whenAnnounced.then(() => next());
  });
}

/**
 * Publishes are never awaited by a delivery, so they carry no per-command timeout (an abort signal and a
 * timer per message). Instead, while Redis leaves the oldest publish unanswered for PUBLISH_STALL_MS, new
 * ones are dropped, so a stalled Redis cannot grow the queue without bound. Other instances miss those
 * broadcasts as they would with Redis down; their clients catch up by seq.
 */
export function boundPublishQueue(adapter: ClusterAdapter, { stallMs = PUBLISH_STALL_MS, now = () => performance.now() } = {}): ClusterAdapter {
  const target = adapter as unknown as { doPublish: (message: unknown) => Promise<string> };
  const doPublish = target.doPublish.bind(adapter);
  // Redis answers one connection's commands in order, so publishes settle oldest first.
  const sentAt: number[] = [];
  let oldest = 0;
  let dropped = 0;
  const settled = () => {
    oldest += 1;
    if (oldest === sentAt.length) {
      sentAt.length = 0;
      oldest = 0;
      if (dropped > 0) console.error(`[redis pub] answering again; ${dropped} broadcasts were not published while it stalled`);
      dropped = 0;
    }
  };
  target.doPublish = (message) => {
    const at = now();
    if (oldest < sentAt.length && at - sentAt[oldest]! > stallMs) {
      if (dropped === 0) console.error(`[redis pub] no answer for ${stallMs} ms; dropping broadcasts to other instances until it answers`);
      dropped += 1;
      return Promise.reject(new Error("Redis publish stalled"));
    }
    sentAt.push(at);
    const published = doPublish(message);
    published.then(settled, settled);
    return published;
  };
  return adapter;
}

/**
 * Socket.IO's sharded Redis pub/sub adapter (Redis 7 SPUBLISH): a broadcast to one room goes to a channel
 * only the instances holding that room subscribe to, and an instance alone publishes nothing. See
 * docs/ARCHITECTURE.md for why not Streams.
 */
export function connectRedisAdapter(url: string) {
  const missedListeners = new Set<() => void>();
  const watches = new Set<PeerWatch>();
  const pubClient = createResilientRedisClient(url, "pub", { timeCommands: false });
  // Broadcasts from other instances are lost while the subscription is down.
  const subClient = createResilientRedisClient(url, "sub", { subscriber: true, onLost: () => watches.forEach((peers) => peers.subscriptionLost()) });
  /** Shared state: presence and rate limits. */
  const state = createResilientRedisClient(url, "state");
  const sharded = createShardedAdapter(pubClient, subClient);
  return {
    // Socket.IO calls the adapter with `new`, so not an arrow function.
    adapter: function shardedAdapter(nsp: Namespace) {
      const adapter = sharded(nsp) as ClusterAdapter;
      const channel = (adapter as unknown as { channel: string }).channel;
      const peers = new PeerWatch({
        publish: (payload) => pubClient.sPublish(channel, payload),
        onBroadcastsMissed: () => missedListeners.forEach((listener) => listener()),
      });
      watches.add(peers);
      const close = adapter.close.bind(adapter);
      adapter.close = () => {
        peers.stop();
        watches.delete(peers);
        return close();
      };
      holdSocketsUntilAnnounced(nsp, peers);
      return boundPublishQueue(skipOwnEchoes(applyLocallyFirst(adapter, peers), peers));
    },
    state,
    /** Resolves once new sockets are let in: this instance receives every other instance's broadcasts. */
    whenAnnounced: () => Promise.all([...watches].map((peers) => peers.whenAnnounced)).then(() => undefined),
    /** Called when this instance's sockets may have missed other instances' broadcasts and should catch up. */
    onBroadcastsMissed(listener: () => void) {
      missedListeners.add(listener);
    },
    async close() {
      watches.forEach((peers) => peers.stop());
      await Promise.allSettled([pubClient.close(), subClient.close(), state.close()]);
    },
  };
}

// Next.js route bundles (sign-in throttling) share the server's Redis client through globalThis.
const globalForRedis = globalThis as typeof globalThis & { __chatRedisState?: RedisConnection };

export function registerSharedRedis(client: RedisConnection) {
  globalForRedis.__chatRedisState = client;
}

export function getSharedRedis(): RedisConnection | undefined {
  return globalForRedis.__chatRedisState;
}
