import type { Database } from "../../db";
import { appendUserMessages, SendBatchRacedError, type SendOutcome, type UserSend } from "../../db/queries/message-sends";

/** Large enough to amortise a commit, small enough to keep one transaction short. */
const MAX_BATCH = 512;
/** A race means another writer committed in between; a fresh attempt sees its result. */
const MAX_ATTEMPTS = 3;

interface PendingSend {
  send: UserSend;
  resolve: (outcome: SendOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the send path. Sends that arrive while a transaction is in flight wait for it and then
 * go together in the next one: under load one commit stores hundreds of messages, and when idle a send
 * is written at once (a batch of one). Each caller still gets its own outcome, and only after the commit.
 */
export class SendBatcher {
  private queue: PendingSend[] = [];
  private flushing = false;
  /** How many transactions stored how many messages (the benchmark and tests read it). */
  readonly stats = { transactions: 0, messages: 0 };

  constructor(private readonly db: Database) {}

  submit(send: UserSend): Promise<SendOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ send, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the sends of this tick join the first batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  /**
   * One batch in flight at a time. As soon as a batch has committed, the sends that queued meanwhile go to
   * Postgres, and only then are the committed batch's callers answered: Postgres stores the next batch while
   * this process publishes and acknowledges the last one, instead of each waiting for the other.
   */
  private async flush() {
    let storing = this.store(this.queue.splice(0, MAX_BATCH));
    for (;;) {
      const answerCallers = await storing;
      const next = this.queue.splice(0, MAX_BATCH);
      if (next.length > 0) storing = this.store(next);
      answerCallers();
      if (next.length === 0) break;
    }
    this.flushing = false;
  }

  /**
   * Stores a batch; resolves, once it has committed (or failed), to what answers its callers. A raced batch
   * is retried whole: the fresh statement sees what the concurrent writer committed (a member who left is
   * now refused, a copy is now a replay). Still racing after that, each send goes on its own, so one busy
   * conversation cannot hold up the rest.
   */
  private async store(batch: PendingSend[]): Promise<() => void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const outcomes = await appendUserMessages({ db: this.db, sends: batch.map((pending) => pending.send) });
        this.stats.transactions += 1;
        this.stats.messages += outcomes.filter((outcome) => outcome.status === "stored").length;
        return () => batch.forEach((pending, index) => pending.resolve(outcomes[index]!));
      } catch (error) {
        if (!(error instanceof SendBatchRacedError) || (attempt === MAX_ATTEMPTS && batch.length === 1)) {
          return () => batch.forEach((pending) => pending.reject(error));
        }
      }
    }
    for (const pending of batch) (await this.store([pending]))();
    return () => {};
  }
}

// The socket gateway and the HTTP route (inside the Next.js bundles, which load their own copy of this
// module) share one batcher per process, like they share the database handle.
const globalForBatchers = globalThis as typeof globalThis & { __chatSendBatchers?: WeakMap<Database, SendBatcher> };
const batchers = (globalForBatchers.__chatSendBatchers ??= new WeakMap<Database, SendBatcher>());

/** One batcher per database handle (per process). */
export function sendBatcherFor(db: Database): SendBatcher {
  let batcher = batchers.get(db);
  if (!batcher) batchers.set(db, (batcher = new SendBatcher(db)));
  return batcher;
}
