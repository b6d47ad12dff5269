import type { Database } from "../../db";
import { BatchConflictError, insertMessageBatch, type NewUserMessage } from "../../db/queries/messages";
import type { Message } from "../../db/schema";

/** Large enough to amortise a commit, small enough to keep one transaction short. */
const MAX_BATCH = 256;

interface PendingSend {
  send: NewUserMessage;
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the send path. Sends that arrive while a transaction is in flight wait for it and then
 * go together in the next one: under load one commit stores hundreds of messages, and when idle a send
 * is written at once (a batch of one). Each caller still gets its own result, and only after the commit.
 */
export class SendBatcher {
  private queue: PendingSend[] = [];
  private flushing = false;
  /** How many transactions stored how many messages (the benchmark and tests read it). */
  readonly stats = { transactions: 0, messages: 0 };

  constructor(private readonly db: Database) {}

  submit(send: NewUserMessage): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.queue.push({ send, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the sends of this tick join the first batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush() {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const stored = await insertMessageBatch({ db: this.db, sends: batch.map((pending) => pending.send) });
        this.stats.transactions += 1;
        this.stats.messages += stored.length;
        batch.forEach((pending, index) => pending.resolve(stored[index]!));
      } catch (error) {
        if (error instanceof BatchConflictError) await this.oneByOne(batch);
        else batch.forEach((pending) => pending.reject(error));
      }
    }
    this.flushing = false;
  }

  /** The rare conflicting batch: each send on its own, so each gets its own precise outcome. */
  private async oneByOne(batch: PendingSend[]) {
    for (const { send, resolve, reject } of batch) {
      await insertMessageBatch({ db: this.db, sends: [send] }).then(([message]) => resolve(message!), reject);
    }
  }
}

const batchers = new WeakMap<Database, SendBatcher>();

/** One batcher per database handle (per process). */
export function sendBatcherFor(db: Database): SendBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new SendBatcher(db)));
  return batcher;
}
