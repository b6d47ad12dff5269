import { parse as parseCookies } from "cookie";
import { getToken } from "next-auth/jwt";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export interface SessionIdentity {
  userId: string;
}

/**
 * Reads the next-auth session cookie from a raw Cookie header. Used by the Socket.IO handshake, which
 * runs outside Next.js, so it must not import anything from `next/*`.
 */
export async function readSessionFromCookieHeader({
  cookieHeader,
  secret,
  secureCookie,
}: {
  cookieHeader: string | undefined;
  secret: string;
  secureCookie: boolean;
}): Promise<SessionIdentity | null> {
  if (!cookieHeader) return null;
  const cookies = parseCookies(cookieHeader);
  const token = await getToken({
    req: { cookies, headers: { cookie: cookieHeader } } as unknown as Parameters<typeof getToken>[0]["req"],
    secret,
    secureCookie,
  }).catch(() => null);
  return token?.sub ? { userId: token.sub } : null;
}
