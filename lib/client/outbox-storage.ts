import type { OutboxEntry } from "./chat-state";
import { loadOnce } from "./load-once";

// Unsent messages live in IndexedDB so they survive a reload. Failures to reach IndexedDB (private
// windows, quota) only cost that durability: the outbox keeps working in memory.

interface StoredOutboxEntry extends OutboxEntry {
  userId: string;
}

// Created lazily: opening the database at import time would run during server rendering. idb-keyval's code
// is loaded then too (the outbox is first loaded right after the first screen), not with the first load.
const outboxDatabase = loadOnce(() => import("idb-keyval").then((idb) => ({ idb, store: idb.createStore("chat-outbox", "entries") })));

export async function loadOutbox(userId: string): Promise<OutboxEntry[]> {
  try {
    const { idb, store } = await outboxDatabase();
    const stored = await idb.entries<string, StoredOutboxEntry>(store);
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
    const { idb, store } = await outboxDatabase();
    await idb.set(entry.clientMsgId, { ...entry, userId } satisfies StoredOutboxEntry, store);
  } catch {
    // Kept in memory only.
  }
}

export async function deleteOutboxEntry(clientMsgId: string): Promise<void> {
  try {
    const { idb, store } = await outboxDatabase();
    await idb.del(clientMsgId, store);
  } catch {
    // Nothing stored, nothing to delete.
  }
}
