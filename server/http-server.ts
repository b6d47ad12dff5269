import { createServer, type RequestListener, type Server } from "node:http";

/**
 * How long an idle keep-alive connection stays open. Node's default, 5 s, is shorter than clients and
 * proxies keep theirs (nginx's upstream keep-alive and cloud load balancers: 60 s), so a request sent on a
 * connection just as the server closes it is reset, and the user sees a request fail for nothing. The
 * server has to outlast them.
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
