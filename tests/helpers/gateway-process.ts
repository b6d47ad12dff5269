// A chat instance's real-time half (the Socket.IO gateway with the Redis adapter, Redis presence and
// rate limits, on real Postgres) as its own process, so multi-instance tests can SIGKILL it.
import { createServer } from "node:http";
import { closeDatabase, openDatabase } from "../../db";
import { parseEnv } from "../../server/env";
import { RedisPresenceStore } from "../../server/services/presence";
import { createSocketGateway, policyFromEnv } from "../../server/socket";
import { registerRealtime } from "../../server/socket/publish";
import { createEventRateLimiter } from "../../server/socket/rate-limit";
import { connectRedisAdapter } from "../../server/socket/redis-adapter";
import { TEST_AUTH_SECRET } from "./socket-server";

const env = parseEnv(process.env);
if (!env.DATABASE_URL || !env.REDIS_URL) throw new Error("gateway-process needs DATABASE_URL and REDIS_URL");

const db = await openDatabase({ kind: "postgres", url: env.DATABASE_URL });
const redis = connectRedisAdapter(env.REDIS_URL);
const httpServer = createServer();
const io = createSocketGateway({
  httpServer,
  db,
  authSecret: TEST_AUTH_SECRET,
  secureCookie: false,
  allowedOrigins: [],
  adapter: redis.adapter,
  presence: new RedisPresenceStore(redis.state),
  limiter: createEventRateLimiter({ sendsPerSecond: 100_000, eventsPerSecond: 100_000, redis: redis.state }),
  policy: policyFromEnv(env),
});
registerRealtime(io);
redis.onBroadcastsMissed(() => io.local.emit("sync:required"));
httpServer.listen(env.PORT, "127.0.0.1", () => console.log(`ready ${env.PORT}`));

process.on("SIGTERM", async () => {
  await io.close();
  await redis.close();
  await closeDatabase();
  process.exit(0);
});
