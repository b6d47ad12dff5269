import { fork, type ChildProcess } from "node:child_process";

/**
 * A forked TypeScript process (run through tsx) that answers requests over its IPC channel:
 * `request({ op, ... })` resolves with the child's answer to that request. Every child is tracked,
 * so the orchestrator can end all of them, by pid, whatever way it exits.
 */
const running = new Set<ChildProcess>();

export function killAllChildren() {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  running.clear();
}

interface Reply {
  replyTo: number;
  result?: unknown;
  error?: string;
}

export class Child<Ready = unknown> {
  private readonly process: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  /** The child's first `{ type: "ready" }` message. */
  readonly ready: Promise<Ready>;
  readonly exited: Promise<number | null>;
  stderr = "";

  constructor(
    readonly name: string,
    modulePath: string,
    { env = {}, execArgv = [], silentStdout = true }: { env?: Record<string, string>; execArgv?: string[]; silentStdout?: boolean } = {},
  ) {
    this.process = fork(modulePath, [], {
      execArgv: ["--import", "tsx", ...execArgv],
      env: { ...process.env, ...env },
      // stdout is not read (the app logs one JSON line per push decision); stderr is kept for diagnosis.
      stdio: [
        "ignore",
        silentStdout ? "ignore" : "inherit",
        "pipe",
        "ipc",
      ],
    });
    running.add(this.process);
    this.process.stderr?.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) =>
      this.process.once("exit", (code) => {
        running.delete(this.process);
        for (const { reject } of this.pending.values()) reject(new Error(`${name} exited (${code}) with requests pending:\n${this.stderr}`));
        this.pending.clear();
        resolve(code);
      }),
    );
    this.ready = new Promise<Ready>((resolve, reject) => {
      const onMessage = (message: { type?: string }) => {
        if (message?.type === "ready") {
          this.process.off("message", onMessage);
          resolve(message as Ready);
        }
      };
      this.process.on("message", onMessage);
      void this.exited.then((code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${this.stderr}`)));
    });
    this.ready.catch(() => undefined);
    this.process.on("message", (message: Reply) => {
      if (typeof message?.replyTo !== "number") return;
      const waiter = this.pending.get(message.replyTo);
      if (!waiter) return;
      this.pending.delete(message.replyTo);
      if (message.error) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
  }

  get pid() {
    return this.process.pid;
  }

  request<T>(message: { op: string } & Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.process.send({ ...message, requestId: id });
    });
  }

  /** Asks the child to stop; kills it if it has not exited within the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    this.process.send({ op: "stop", requestId: 0 });
    await this.exited;
    clearTimeout(timer);
  }
}

export type RequestHandler = (message: Record<string, unknown>) => Promise<unknown> | unknown;

/** The child side: answers each request with its handler's result (or its error message). */
export function serveRequests(handlers: Record<string, RequestHandler>) {
  process.on("message", async (message: { op: string; requestId: number } & Record<string, unknown>) => {
    const handler = handlers[message.op];
    try {
      if (!handler) throw new Error(`unknown op ${message.op}`);
      const result = await handler(message);
      if (message.requestId) process.send?.({ replyTo: message.requestId, result });
    } catch (error) {
      if (message.requestId) process.send?.({ replyTo: message.requestId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  // The orchestrator going away (even by SIGKILL) closes the channel: never outlive it.
  process.on("disconnect", () => process.exit(0));
}

export function announceReady(details: Record<string, unknown> = {}) {
  process.send?.({ type: "ready", ...details });
}
