export interface MessageRef {
  id: string;
  conversationId: string;
  seq: number;
}

export interface PendingPush {
  userId: string;
  conversationId: string;
  /** The newest message of the burst: the push shows it. */
  latest: MessageRef;
  /** How many messages the burst gathered. */
  count: number;
}

/**
 * Gathers a user's messages in one conversation for a short window, then hands over one pending push
 * for the newest of them: a burst of ten messages becomes one notification, not ten.
 */
export class BurstCollapser {
  private readonly pending = new Map<string, PendingPush & { timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    private readonly onReady: (push: PendingPush) => void,
  ) {}

  /** Adds a message for a user; if the burst already has one, says which message no longer gets its own push, and which carries it. */
  add(userId: string, message: MessageRef): { collapsed: MessageRef; into: MessageRef } | null {
    const key = `${userId}:${message.conversationId}`;
    const existing = this.pending.get(key);
    if (!existing) {
      const timer = setTimeout(() => {
        const ready = this.pending.get(key);
        if (!ready) return;
        this.pending.delete(key);
        this.onReady({ userId: ready.userId, conversationId: ready.conversationId, latest: ready.latest, count: ready.count });
      }, this.windowMs);
      this.pending.set(key, { userId, conversationId: message.conversationId, latest: message, count: 1, timer });
      return null;
    }
    existing.count += 1;
    // Fan-out tasks run concurrently, so an older message can arrive after a newer one.
    if (message.seq < existing.latest.seq) return { collapsed: message, into: existing.latest };
    const collapsed = existing.latest;
    existing.latest = message;
    return { collapsed, into: message };
  }

  /** Forgets everything pending (shutdown); returns what was dropped. */
  clear(): PendingPush[] {
    const dropped = [...this.pending.values()];
    for (const entry of dropped) clearTimeout(entry.timer);
    this.pending.clear();
    return dropped.map(({ userId, conversationId, latest, count }) => ({ userId, conversationId, latest, count }));
  }
}
