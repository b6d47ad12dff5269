import webpush from "web-push";
import type { VapidDetails } from "./vapid";

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushHeaders {
  /** Seconds the push service keeps the message for an offline device. */
  ttlSeconds: number;
  urgency: "very-low" | "low" | "normal" | "high";
  /** The push service replaces an undelivered message with the same topic (≤ 32 URL-safe characters). */
  topic: string;
}

export type DeliveryOutcome =
  | { kind: "delivered"; status: number }
  /** 404/410: the browser unsubscribed or the subscription expired; it will never work again. */
  | { kind: "gone"; status: number }
  /** Worth another try later: network failure, timeout, 5xx, 429. */
  | { kind: "retry"; reason: "network" | "server_error" | "rate_limited"; status?: number; retryAfterMs?: number; detail?: string }
  /** Any other refusal (bad request, wrong VAPID key, payload too large): retrying would not help. */
  | { kind: "rejected"; status: number; detail?: string };

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Sends one push. web-push does the protocol's crypto (aes128gcm payload encryption, the ES256 VAPID
 * JWT); the request itself goes through fetch, which gives a real timeout and works with any endpoint
 * the subscription policy admits.
 */
export async function deliverPush({
  target,
  payload,
  vapid,
  headers,
  timeoutMs,
}: {
  target: PushTarget;
  payload: string;
  vapid: VapidDetails;
  headers: PushHeaders;
  timeoutMs: number;
}): Promise<DeliveryOutcome> {
  const request = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
    vapidDetails: vapid,
    TTL: headers.ttlSeconds,
    urgency: headers.urgency,
    topic: headers.topic,
    contentEncoding: "aes128gcm",
  });
  // fetch computes Content-Length from the body itself.
  const requestHeaders = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name.toLowerCase() !== "content-length")
      .map(([name, value]) => [name, String(value)]),
  );
  let response: Response;
  try {
    response = await fetch(request.endpoint, {
      method: "POST",
      headers: requestHeaders,
      body: new Uint8Array(request.body),
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: "retry", reason: "network", detail: error instanceof Error ? error.message : String(error) };
  }
  const text = (await response.text().catch(() => "")).slice(0, 200);
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status === 404 || status === 410) return { kind: "gone", status };
  if (status === 429) return { kind: "retry", reason: "rate_limited", status, retryAfterMs: retryAfterMs(response.headers.get("retry-after")), detail: text };
  if (status >= 500) return { kind: "retry", reason: "server_error", status, retryAfterMs: retryAfterMs(response.headers.get("retry-after")), detail: text };
  return { kind: "rejected", status, detail: text };
}
