import type { ChatSocket } from "@/lib/socket-client";
import { request, requestInputless } from "./request";

// Web Push on this browser: the service worker (public/sw.js) receives the server's pushes while no tab
// of the app is connected; a subscription, bound to the server's VAPID public key, is its address.

const SERVICE_WORKER_URL = "/sw.js";

const pushSupported = () => "serviceWorker" in navigator && "PushManager" in window;

/** Registers the service worker (idempotent); failures only cost background notifications. */
export async function registerServiceWorker(): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: "/" });
  } catch (error) {
    console.warn("[push] the service worker could not be registered:", error);
  }
}

function keyBytes(base64Url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64Url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64Url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.byteLength) return false;
  const bytes = new Uint8Array(a);
  return bytes.every((byte, index) => byte === b[index]);
}

/** Subscribes this browser (or re-sends its subscription, e.g. with another preview choice) and registers it with the server. */
export async function enablePush(socket: ChatSocket, privatePreviews: boolean): Promise<void> {
  if (!pushSupported()) throw new Error("This browser does not support background notifications");
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await requestInputless(socket, "push:public-key");
  const applicationServerKey = keyBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made for another server key cannot receive this server's pushes.
  if (subscription && !sameKey(subscription.options.applicationServerKey, applicationServerKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  const { endpoint, expirationTime, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth) throw new Error("The browser returned an incomplete push subscription");
  await request(socket, "push:subscribe", { subscription: { endpoint, expirationTime, keys: { p256dh: keys.p256dh, auth: keys.auth } }, privatePreviews });
}

async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER_URL);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Stops background notifications for me on this browser: the server forgets the subscription, the browser drops it. */
export async function disablePush(socket: ChatSocket | null): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  if (socket?.connected) await request(socket, "push:unsubscribe", { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
}

/**
 * Signing out: the server stops pushing to this browser for me. The browser keeps its subscription, so
 * whoever signs in next with notifications on re-registers the same address for themselves.
 */
export async function forgetPush(socket: ChatSocket | null, timeoutMs: number): Promise<void> {
  const subscription = await currentSubscription();
  if (subscription && socket?.connected) await request(socket, "push:unsubscribe", { endpoint: subscription.endpoint }, timeoutMs);
}
