import { z } from "zod";
import type { Database } from "../../db";
import { deletePushSubscription, upsertPushSubscription } from "../../db/queries/push-subscriptions";
import { parseInput } from "../validation";

/** Browsers a user can register at once; the oldest registration goes first beyond it. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 20;
const MAX_ENDPOINT_LENGTH = 2_048;

const base64UrlBytes = (name: string, valid: (bytes: Buffer) => boolean) =>
  z
    .string({ error: `${name} is required` })
    .max(200, `${name} is too long`)
    .refine((value) => /^[A-Za-z0-9_-]+=*$/.test(value) && valid(Buffer.from(value, "base64url")), `${name} is not a valid key`);

/**
 * The browsers' push services. The server POSTs to whatever endpoint a subscription names, so anything
 * else would let a user aim the server's requests at a host of their choosing (SSRF).
 */
const PUSH_SERVICE_HOSTS = [/^fcm\.googleapis\.com$/, /^updates\.push\.services\.mozilla\.com$/, /\.notify\.windows\.com$/, /^web\.push\.apple\.com$/];

export function isKnownPushService(url: URL): boolean {
  return url.protocol === "https:" && PUSH_SERVICE_HOSTS.some((host) => host.test(url.hostname));
}

const endpointSchema = (allowHttp: boolean) =>
  z
    .string({ error: "endpoint is required" })
    .max(MAX_ENDPOINT_LENGTH, "endpoint is too long")
    .refine((value) => {
      try {
        const url = new URL(value);
        // Tests run a stand-in push service on http://127.0.0.1.
        return isKnownPushService(url) || (allowHttp && url.protocol === "http:");
      } catch {
        return false;
      }
    }, "endpoint must be a browser push service URL");

// Exactly what PushSubscription.toJSON() gives in the browser (expirationTime and unknown fields are dropped).
const subscribeSchema = (allowHttp: boolean) =>
  z.object({
    subscription: z.object({
      endpoint: endpointSchema(allowHttp),
      keys: z.object({
        // An uncompressed P-256 point and a 16-byte secret (RFC 8291).
        p256dh: base64UrlBytes("keys.p256dh", (bytes) => bytes.length === 65 && bytes[0] === 4),
        auth: base64UrlBytes("keys.auth", (bytes) => bytes.length === 16),
      }),
    }),
    privatePreviews: z.boolean().default(false),
  });

/** Stores this browser's push subscription for the user (re-subscribing updates it, e.g. the preview choice). */
export async function subscribeToPush({
  db,
  userId,
  input,
  allowHttpEndpoints = false,
}: {
  db: Database;
  userId: string;
  input: unknown;
  allowHttpEndpoints?: boolean;
}): Promise<{ endpoint: string; privatePreviews: boolean }> {
  const { subscription, privatePreviews } = parseInput(subscribeSchema(allowHttpEndpoints), input);
  await upsertPushSubscription({
    db,
    userId,
    subscription: { endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth, privatePreviews },
    maxPerUser: MAX_PUSH_SUBSCRIPTIONS_PER_USER,
  });
  return { endpoint: subscription.endpoint, privatePreviews };
}

const unsubscribeSchema = z.object({ endpoint: z.string({ error: "endpoint is required" }).min(1).max(MAX_ENDPOINT_LENGTH) });

/** Removes one of the user's subscriptions (turning notifications off, or signing out on this browser). */
export async function unsubscribeFromPush({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { endpoint } = parseInput(unsubscribeSchema, input);
  return { endpoint, removed: await deletePushSubscription({ db, userId, endpoint }) };
}
