import type { MessageDto } from "../../lib/socket-events";
import type { Audience } from "../services/audience";

/** What the access layer sees of the push service: its public key, and a hand-over that never waits. */
export interface PushNotifier {
  readonly publicKey: string;
  /** Test deployments accept http:// endpoints (a local stand-in push service); real browsers use https://. */
  readonly allowHttpEndpoints: boolean;
  /** Call after a committed, non-duplicate send. Returns at once; the work happens off the send path. */
  enqueue(sent: { message: MessageDto; audience: Audience }): void;
}

// The HTTP send route runs inside Next.js bundles, which load their own copy of this module; the push
// service is shared through globalThis like the gateway and the database.
const globalForPush = globalThis as typeof globalThis & { __chatPush?: PushNotifier };

export function registerPushNotifier(push: PushNotifier | undefined) {
  globalForPush.__chatPush = push;
}

/** The running push service, if any (it is always started by server/main.ts). */
export function getPushNotifier(): PushNotifier | undefined {
  return globalForPush.__chatPush;
}
