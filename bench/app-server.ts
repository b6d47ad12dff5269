// One chat instance as the benchmark runs it: exactly what server/main.ts assembles on the message path
// (Postgres pool, Socket.IO gateway with handshake auth, the sharded Redis adapter, Redis presence and
// rate limits with the production budgets, the Web Push service fed by every send) minus Next.js, which
// serves pages and the HTTP API and is not on the socket message path. Controlled over IPC by bench/run.ts.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import webpush from "web-push";
import { closeDatabase, openDatabase } from "../db";
import { parseEnv } from "../server/env";
import { connectedDeviceCheck } from "../server/push/connected";
import { registerPushNotifier } from "../server/push/registry";
import { createPushService } from "../server/push/service";
import { RedisPresenceStore } from "../server/services/presence";
import { sendBatcherFor } from "../server/services/send-batcher";
import { createSocketGateway, policyFromEnv } from "../server/socket";
import { registerRealtime } from "../server/socket/publish";
import { createEventRateLimiter } from "../server/socket/rate-limit";
import { connectRedisAdapter } from "../server/socket/redis-adapter";
import { announceReady, serveRequests } from "./lib/child";
import { processStats } from "./lib/process-stats";
import { ResidenceMeter } from "./lib/residence";
import { selfMeasureRequests } from "./lib/self-measures";

const env = parseEnv(process.env);
const authSecret = process.env.BENCH_AUTH_SECRET;
if (!env.DATABASE_URL || !authSecret) throw new Error("app-server needs DATABASE_URL and BENCH_AUTH_SECRET");
const useRedis = process.env.BENCH_ADAPTER !== "memory";
if (useRedis && !env.REDIS_URL) throw new Error("app-server needs REDIS_URL (or BENCH_ADAPTER=memory)");

// BENCH_DB_POOL overrides the pool size (diagnosis only: production uses db/index.ts's default).
const pool = process.env.BENCH_DB_POOL ? Number(process.env.BENCH_DB_POOL) : undefined;
const db = await openDatabase({ kind: "postgres", url: env.DATABASE_URL, ...(pool ? { maxConnections: pool } : {}) });
const selfMeasures = selfMeasureRequests(new ResidenceMeter(sendBatcherFor(db)));
const redis = useRedis ? connectRedisAdapter(env.REDIS_URL!) : null;
const httpServer = createServer();
const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:bench@localhost" };
// BENCH_PUSH=off leaves the push service out (diagnosis only: production always runs it).
const push = process.env.BENCH_PUSH === "off" ? undefined : createPushService({ db, vapid, isUserConnected: connectedDeviceCheck(() => io) });
registerPushNotifier(push);
const io = createSocketGateway({
  httpServer,
  db,
  authSecret,
  secureCookie: false,
  allowedOrigins: [],
  adapter: redis?.adapter,
  ...(redis ? { presence: new RedisPresenceStore(redis.state), limiter: createEventRateLimiter({ redis: redis.state }) } : {}),
  policy: policyFromEnv(env),
  push,
});
registerRealtime(io);
redis?.onBroadcastsMissed(() => io.local.emit("sync:required"));

await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));

serveRequests({
  ...selfMeasures,
  stats: ({ gc }) => processStats({ gc: gc === true, sockets: io.engine.clientsCount, namespace: io.of("/") }),
  stop: async () => {
    await io.close();
    await push?.stop();
    await redis?.close();
    await closeDatabase();
    process.exit(0);
  },
});
announceReady({ port: (httpServer.address() as AddressInfo).port });
