import { createStore, del, entries, set, type UseStore } from "idb-keyval";
import type { OutboxEntry } from "./chat-state";

// Unsent messages live in IndexedDB so they survive a reload. Failures to reach IndexedDB (private
// windows, quota) only cost that durability: the outbox keeps working in memory.

interface StoredOutboxEntry extends OutboxEntry {
  userId: string;
}

let database: UseStore | undefined;
// Created lazily: opening the database at import time would run during server rendering.
const outboxDatabase = () => (database ??= createStore("chat-outbox", "entries"));

export async function loadOutbox(userId: string): Promise<OutboxEntry[]> {
  try {
    const stored = await entries<string, StoredOutboxEntry>(outboxDatabase());
    return stored
      .map(([, { userId: owner, ...entry }]) => ({ owner, entry }))
      .filter(({ owner }) => owner === userId)
      .map(({ entry }) => entry);
  } catch {
    return [];
  }
}

export async function saveOutboxEntry(userId: string, entry: OutboxEntry): Promise<void> {
  try {
    await set(entry.clientMsgId, { ...entry, userId } satisfies StoredOutboxEntry, outboxDatabase());
  } catch {
    // Kept in memory only.
  }
}

export async function deleteOutboxEntry(clientMsgId: string): Promise<void> {
  try {
    await del(clientMsgId, outboxDatabase());
  } catch {
    // Nothing stored, nothing to delete.
  }
}
