import { EventEmitter } from "node:events";
import type { Server as HttpServer } from "node:http";
import next from "next";
import { closeDatabase, databaseConfigFromEnv, openDatabase } from "../db";
import { resolveAuthSecret } from "./auth/secret";
import { getEnv, InvalidEnvironmentError } from "./env";
import { createHttpServer } from "./http-server";
import { connectedDeviceCheck } from "./push/connected";
import { registerPushNotifier } from "./push/registry";
import { createPushService } from "./push/service";
import { resolveVapidKeys } from "./push/vapid";
import { createSocketGateway } from "./socket";
import { RedisPresenceStore } from "./services/presence";
import { registerRealtime } from "./socket/publish";
import { createEventRateLimiter } from "./socket/rate-limit";
import { connectRedisAdapter, registerSharedRedis } from "./socket/redis-adapter";

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  const env = getEnv();
  const dev = env.NODE_ENV !== "production";
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;

  const authSecret = resolveAuthSecret({ configured: env.AUTH_SECRET, dataDir: env.DATA_DIR });
  process.env.NEXTAUTH_SECRET = authSecret;
  process.env.NEXTAUTH_URL ??= publicUrl;

  const dbConfig = databaseConfigFromEnv(env);
  const db = await openDatabase(dbConfig);
  console.log(dbConfig.kind === "pglite" ? `> Database: PGlite in ${env.PGLITE_DIR}` : "> Database: Postgres (DATABASE_URL)");

  // Next.js attaches its upgrade listener (HMR) to whatever it is given as httpServer. It gets this
  // emitter, and only /_next/ upgrades are forwarded to it, so it can never touch Socket.IO's sockets.
  const nextUpgrades = new EventEmitter();
  // Webpack in development too, as `npm run build` uses it (its runtime and chunks are smaller than Turbopack's).
  const app = next({ dev, webpack: true, hostname: "localhost", port: env.PORT, httpServer: nextUpgrades as unknown as HttpServer });
  const handle = app.getRequestHandler();
  await app.prepare();

  const httpServer = createHttpServer((req, res) => void handle(req, res));
  httpServer.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith("/_next/")) nextUpgrades.emit("upgrade", req, socket, head);
    else if (!req.url?.startsWith("/socket.io/")) socket.destroy();
  });

  const redis = env.REDIS_URL ? connectRedisAdapter(env.REDIS_URL) : null;
  if (redis) registerSharedRedis(redis.state);
  const vapid = resolveVapidKeys({
    publicKey: env.VAPID_PUBLIC_KEY,
    privateKey: env.VAPID_PRIVATE_KEY,
    subject: env.VAPID_SUBJECT,
    dataDir: env.DATA_DIR,
  });
  // The push service asks the gateway (created next) whether a user is connected; it only asks once
  // messages flow, and the gateway hands every send to it.
  const push = createPushService({ db, vapid, isUserConnected: connectedDeviceCheck(() => io) });
  registerPushNotifier(push);
  const io = createSocketGateway({
    httpServer,
    db,
    authSecret,
    secureCookie: publicUrl.startsWith("https://"),
    allowedOrigins: env.ALLOWED_ORIGINS,
    adapter: redis?.adapter,
    ...(redis ? { presence: new RedisPresenceStore(redis.state), limiter: createEventRateLimiter({ redis: redis.state }) } : {}),
    push,
  });
  registerRealtime(io);
  redis?.onBroadcastsMissed(() => io.local.emit("sync:required"));

  await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve));
  await redis?.whenAnnounced();
  console.log(`> Chat ready on ${publicUrl} (${dev ? "development" : "production"}${redis ? ", Redis adapter" : ""})`);

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`> ${signal}: shutting down`);
    const forceExit = setTimeout(() => {
      console.error("> Shutdown timed out; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forceExit.unref();
    // Stop accepting, disconnect sockets (clients reconnect elsewhere and catch up), drain HTTP.
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await io.close();
    await push.stop();
    httpServer.closeIdleConnections();
    await httpClosed;
    await app.close();
    await redis?.close();
    await closeDatabase();
    console.log("> Bye");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

// A last line of defence: one failed request must never take every user's connection down with it.
process.on("unhandledRejection", (reason) => console.error("Unhandled rejection (kept running)", reason));

main().catch((error: unknown) => {
  console.error(error instanceof InvalidEnvironmentError ? error.message : error);
  process.exit(1);
});
