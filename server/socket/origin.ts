import type { IncomingMessage } from "node:http";

/**
 * Browsers send Origin on every WebSocket handshake and cross-origin request. A request from a page on
 * another site (cross-site WebSocket hijacking) is refused; requests without Origin (same-origin
 * polling GETs, server-side scripts) are judged by their session alone.
 */
export function isAllowedOrigin(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  const host = req.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
