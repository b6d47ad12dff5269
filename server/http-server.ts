import { createServer, type RequestListener, type Server } from "node:http";

/**
 * How long an idle keep-alive connection stays open. A request sent on a connection just as the server
 * closes it is reset, and the user sees a request fail for nothing. Node's default, 5 s, is a pause that
 * clients often make between requests; proxies keep idle connections to the server 60 s (nginx's upstream
 * keep-alive, cloud load balancers), so the server outlasts them and they always close first.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The process's one HTTP server: Next.js pages and API routes, Socket.IO's handshakes and upgrades. */
export function createHttpServer(listener: RequestListener): Server {
  const server = createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // A request's headers on a kept-alive connection may start arriving until the moment it would close.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}
