export interface QueuedTask {
  run(): Promise<void>;
}

/**
 * A bounded in-process queue worked by a few concurrent runners. Pushing never waits and never runs the
 * task in the caller's tick (the send path hands work over and returns); when full, the oldest task is
 * dropped and reported, since a stale notification is worth less than a fresh one.
 */
export class WorkQueue<Task extends QueuedTask> {
  private readonly pending: Task[] = [];
  private running = 0;
  private pumpScheduled = false;
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly options: {
      capacity: number;
      concurrency: number;
      onDrop: (task: Task, reason: "queue_full" | "shutdown") => void;
      onError: (error: unknown, task: Task) => void;
    },
  ) {}

  get size(): number {
    return this.pending.length;
  }

  push(task: Task): void {
    if (this.stopped) return this.options.onDrop(task, "shutdown");
    if (this.pending.length >= this.options.capacity) {
      const oldest = this.pending.shift();
      if (oldest) this.options.onDrop(oldest, "queue_full");
    }
    this.pending.push(task);
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency) {
      const task = this.pending.shift();
      if (!task) break;
      this.running += 1;
      void task
        .run()
        .catch((error: unknown) => this.options.onError(error, task))
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
    if (this.running === 0 && (this.pending.length === 0 || this.stopped)) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Drops what has not started (reported as `shutdown`) and waits for the running tasks. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const task of this.pending.splice(0)) this.options.onDrop(task, "shutdown");
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
