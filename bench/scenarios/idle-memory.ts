import type { BenchContext } from "../context";
import { userId } from "../lib/ids";
import { LAYOUT } from "../layout";
import type { FleetUser } from "../load/protocol";
import { startAppServer, startBareRelay, type RunningServer } from "../servers";
import { connectFleet } from "../workers";
import { ratio } from "./summary";

export interface IdleSide {
  sockets: number;
  /** Server memory growth per connected socket, after a full garbage collection, in bytes. */
  rssPerSocket: number;
  heapPerSocket: number;
  /** heapUsed + external + arrayBuffers growth per socket. */
  jsPerSocket: number;
  baseline: { rss: number; heapUsed: number };
  connected: { rss: number; heapUsed: number };
  connectMs: number;
  handshakesPerSec: number;
  listenersPerSocket: number;
  roomsPerSocket: number;
}

export interface IdleMemoryResult {
  sockets: number;
  app: IdleSide;
  bare: IdleSide;
  /** The bare relay with the app's sharded Redis adapter: how much of the difference is the adapter's. */
  bareWithRedis: IdleSide;
  vsBare: { rss: number; heap: number };
}

/**
 * Scenario 3: a fresh server, its memory after a full GC, then N authenticated sockets that do nothing,
 * the server's memory after a full GC again; the growth divided by N. The app's sockets authenticate
 * with a session cookie and load their user and groups; the bare relay's carry a user id and join their
 * user room, nothing else.
 */
export async function runIdleMemory(context: BenchContext): Promise<IdleMemoryResult> {
  const { config, workers, nonce } = context;
  const sockets = config.idle.sockets;
  const byWorker: FleetUser[][] = workers.map(() => []);
  for (let index = 0; index < sockets; index++) byWorker[index % workers.length]!.push({ id: userId(nonce, LAYOUT.idleUser + index) });

  const measure = async (target: "app" | "bare", server: RunningServer): Promise<IdleSide> => {
    try {
      const before = await server.stats(true);
      const fleet = `s3-${server.name}`;
      const connected = await connectFleet({ workers, fleet, url: server.url, target, placement: { byWorker }, authSecret: context.authSecret, concurrency: config.connectConcurrency });
      const after = await server.stats(true);
      if (after.sockets < sockets) throw new Error(`${server.name} sees ${after.sockets} of ${sockets} sockets`);
      await Promise.all(workers.map((worker) => worker.disconnect(fleet)));
      const js = (stats: typeof before) => stats.heapUsed + stats.external + stats.arrayBuffers;
      const side = {
        sockets,
        rssPerSocket: Math.round((after.rss - before.rss) / sockets),
        heapPerSocket: Math.round((after.heapUsed - before.heapUsed) / sockets),
        jsPerSocket: Math.round((js(after) - js(before)) / sockets),
        baseline: { rss: before.rss, heapUsed: before.heapUsed },
        connected: { rss: after.rss, heapUsed: after.heapUsed },
        connectMs: Math.round(connected.elapsedMs),
        handshakesPerSec: Math.round((sockets * 1000) / connected.elapsedMs),
        listenersPerSocket: after.listenersPerSocket,
        roomsPerSocket: after.roomsPerSocket,
      };
      context.log(`s3 ${server.name}: ${sockets} sockets, ${(side.rssPerSocket / 1024).toFixed(1)} KiB RSS and ${(side.heapPerSocket / 1024).toFixed(1)} KiB heap per socket`);
      return side;
    } finally {
      await server.stop();
    }
  };

  const redisUrl = context.redisUrl;
  const app = await measure("app", await startAppServer({ name: "app-idle", adapter: "redis", redisUrl, databaseUrl: context.databaseUrl, authSecret: context.authSecret }));
  const bare = await measure("bare", await startBareRelay({ name: "bare-idle", adapter: "memory", redisUrl }));
  const bareWithRedis = await measure("bare", await startBareRelay({ name: "bare-redis-idle", adapter: "redis", redisUrl }));
  return { sockets, app, bare, bareWithRedis, vsBare: { rss: ratio(app.rssPerSocket, bare.rssPerSocket), heap: ratio(app.heapPerSocket, bare.heapPerSocket) } };
}
