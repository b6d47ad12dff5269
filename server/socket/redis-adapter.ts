import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

/** Socket.IO's Redis pub/sub adapter: room broadcasts reach sockets on every instance. */
export async function connectRedisAdapter(url: string) {
  const pubClient = createClient({
    url,
    socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
  const subClient = pubClient.duplicate();
  pubClient.on("error", (error: Error) => console.error("[redis pub]", error.message));
  subClient.on("error", (error: Error) => console.error("[redis sub]", error.message));
  await Promise.all([pubClient.connect(), subClient.connect()]);
  return {
    adapter: createAdapter(pubClient, subClient),
    async close() {
      await Promise.allSettled([pubClient.quit(), subClient.quit()]);
    },
  };
}
