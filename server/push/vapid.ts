import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import webpush from "web-push";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface VapidDetails extends VapidKeys {
  /** A mailto: or https: contact the push services can reach about abuse. */
  subject: string;
}

const VAPID_FILE = "vapid.json";

function parseStoredKeys(text: string, file: string): VapidKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const keys = parsed as Partial<VapidKeys> | null;
  if (typeof keys?.publicKey !== "string" || typeof keys.privateKey !== "string") {
    // Regenerating would silently invalidate every browser's subscription, so a damaged file stops the server.
    throw new Error(`${file} is not a valid VAPID key pair; restore it, or delete it to generate a new pair (all browsers must then re-subscribe)`);
  }
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/**
 * The VAPID key pair that signs pushes. Browsers bind each subscription to the public key, so it must
 * never change silently: from the environment when configured, otherwise generated once and kept in the
 * data directory (like the auth secret) so subscriptions survive restarts.
 */
export function resolveVapidKeys({
  publicKey,
  privateKey,
  subject,
  dataDir,
}: {
  publicKey?: string;
  privateKey?: string;
  subject: string;
  dataDir: string;
}): VapidDetails {
  if (publicKey && privateKey) return { publicKey, privateKey, subject };
  const file = path.join(dataDir, VAPID_FILE);
  let stored: string | null = null;
  try {
    stored = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (stored !== null) return { ...parseStoredKeys(stored, file), subject };
  mkdirSync(dataDir, { recursive: true });
  const generated = webpush.generateVAPIDKeys();
  writeFileSync(file, JSON.stringify({ publicKey: generated.publicKey, privateKey: generated.privateKey }, null, 2), { mode: 0o600, flag: "wx" });
  return { publicKey: generated.publicKey, privateKey: generated.privateKey, subject };
}
