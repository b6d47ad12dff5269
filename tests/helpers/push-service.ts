import { createECDH, createPublicKey, randomBytes, randomUUID, verify, type ECDH } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";

// http_ece (Encrypted Content-Encoding, RFC 8188/8291) is what web-push encrypts with; here it decrypts
// exactly as a browser would, with the subscription's private key and auth secret.
const ece = createRequire(import.meta.url)("http_ece") as {
  decrypt(buffer: Buffer, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string }): Buffer;
};

/** A browser's push subscription, with the private half a real browser keeps to itself. */
export interface TestSubscription {
  id: string;
  /** What the page would send with push:subscribe (PushSubscription.toJSON()). */
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  ecdh: ECDH;
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
  /** The `k=` public key the JWT signature was verified with. */
  publicKey: string;
}

export interface ReceivedPush {
  subscriptionId: string;
  headers: IncomingHttpHeaders;
  /** The decrypted payload, parsed as JSON. */
  payload: Record<string, unknown>;
  vapid: VapidClaims;
  /** The status this stand-in answered with. */
  status: number;
}

function decodeSegment<T>(segment: string): T {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as T;
}

/**
 * Checks `Authorization: vapid t=<jwt>, k=<public key>` (RFC 8292): an ES256 JWT signed by the key in `k`,
 * for this push service's origin, not expired and valid for at most 24 hours.
 */
function verifyVapid(authorization: string | undefined, origin: string): VapidClaims {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!match) throw new Error(`not a VAPID authorization header: ${authorization}`);
  const [, token, key] = match as unknown as [string, string, string];
  const [headerSegment, claimsSegment, signatureSegment] = token.split(".");
  if (!headerSegment || !claimsSegment || !signatureSegment) throw new Error("malformed JWT");
  const header = decodeSegment<{ typ?: string; alg?: string }>(headerSegment);
  if (header.alg !== "ES256") throw new Error(`unexpected JWT alg ${header.alg}`);
  const point = Buffer.from(key, "base64url");
  if (point.length !== 65 || point[0] !== 4) throw new Error("k is not an uncompressed P-256 point");
  const publicKey = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") },
    format: "jwk",
  });
  const signed = verify(
    "sha256",
    Buffer.from(`${headerSegment}.${claimsSegment}`),
    { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signatureSegment, "base64url"),
  );
  if (!signed) throw new Error("VAPID JWT signature does not verify");
  const claims = decodeSegment<{ aud: string; exp: number; sub: string }>(claimsSegment);
  if (claims.aud !== origin) throw new Error(`JWT aud ${claims.aud} is not the push service origin ${origin}`);
  const now = Math.floor(Date.now() / 1000);
  if (!(claims.exp > now && claims.exp <= now + 24 * 60 * 60)) throw new Error(`JWT exp ${claims.exp} out of range`);
  return { ...claims, publicKey: key };
}

export interface FakePushService {
  origin: string;
  /** Every push that arrived, decrypted and verified, in arrival order. */
  received: ReceivedPush[];
  /** Requests that failed verification or decryption (a correct server sends none). */
  rejected: Array<{ subscriptionId: string; error: string }>;
  createSubscription(): TestSubscription;
  /** The statuses to answer for a subscription's next requests, in order (then 201 Created). */
  respondWith(subscriptionId: string, ...statuses: number[]): void;
  pushesFor(subscriptionId: string): ReceivedPush[];
  /** Resolves with the subscription's pushes once there are `count` of them; rejects after `timeoutMs`. */
  waitForPushes(subscriptionId: string, count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  close(): Promise<void>;
}

/**
 * A local HTTP server playing a Web Push service (RFC 8030): no public push service is reachable from
 * tests, so subscriptions point here. Each request is authenticated (VAPID) and decrypted (aes128gcm)
 * as a browser vendor's push service and the browser would.
 */
export async function startFakePushService(): Promise<FakePushService> {
  const subscriptions = new Map<string, TestSubscription>();
  const scripted = new Map<string, number[]>();
  const received: ReceivedPush[] = [];
  const rejected: FakePushService["rejected"] = [];
  const listeners = new Set<() => void>();
  let origin = "";

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const subscriptionId = decodeURIComponent(req.url?.replace(/^\/push\//, "") ?? "");
      const subscription = subscriptions.get(subscriptionId);
      const status = scripted.get(subscriptionId)?.shift() ?? 201;
      try {
        if (!subscription || req.method !== "POST") throw new Error(`unknown subscription ${subscriptionId}`);
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error(`content-encoding ${req.headers["content-encoding"]}`);
        if (!req.headers.ttl) throw new Error("missing TTL header");
        const vapid = verifyVapid(req.headers.authorization, origin);
        const plaintext = ece.decrypt(Buffer.concat(chunks), { version: "aes128gcm", privateKey: subscription.ecdh, authSecret: subscription.json.keys.auth });
        received.push({ subscriptionId, headers: req.headers, payload: JSON.parse(plaintext.toString("utf8")) as Record<string, unknown>, vapid, status });
        res.writeHead(status).end();
      } catch (error) {
        rejected.push({ subscriptionId, error: error instanceof Error ? error.message : String(error) });
        res.writeHead(400).end();
      }
      for (const listener of listeners) listener();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const pushesFor = (subscriptionId: string) => received.filter((push) => push.subscriptionId === subscriptionId);

  return {
    origin,
    received,
    rejected,
    createSubscription() {
      const id = randomUUID();
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const subscription: TestSubscription = {
        id,
        ecdh,
        json: {
          endpoint: `${origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") },
        },
      };
      subscriptions.set(id, subscription);
      return subscription;
    },
    respondWith(subscriptionId, ...statuses) {
      scripted.set(subscriptionId, statuses);
    },
    pushesFor,
    waitForPushes(subscriptionId, count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const pushes = pushesFor(subscriptionId);
          if (pushes.length < count) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(pushes);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`expected ${count} push(es) for ${subscriptionId} within ${timeoutMs} ms, got ${pushesFor(subscriptionId).length}`));
        }, timeoutMs);
        if (!check()) listeners.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
