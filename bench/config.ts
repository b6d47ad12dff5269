/** Every count and duration of a run; `--quick` keeps every scenario but makes each small and short. */
export interface BenchConfig {
  quick: boolean;
  /** Load generator processes. */
  workers: number;
  /** Characters in every message body (the send time stamp included). */
  bodyChars: number;
  ackTimeoutMs: number;
  /** Open loop: unacknowledged sends a worker allows before it skips (see LoadRequest.maxInFlight). */
  maxInFlightPerWorker: number;
  connectConcurrency: number;
  oneToOne: { pairs: number; rates: number[]; warmupMs: number; measureMs: number };
  throughput: { window: number; warmupMs: number; measureMs: number; pgbenchClients: number; pgbenchSeconds: number };
  idle: { sockets: number };
  group: { members: number; sends: number; warmupSends: number; intervalMs: number };
  cross: { pairs: number; rate: number; warmupMs: number; measureMs: number };
  history: { listUsers: number; messages: number; calls: number; warmupCalls: number };
}

export function benchConfig(quick: boolean): BenchConfig {
  if (quick) {
    return {
      quick,
      workers: 2,
      bodyChars: 80,
      ackTimeoutMs: 10_000,
      maxInFlightPerWorker: 500,
      connectConcurrency: 50,
      oneToOne: { pairs: 100, rates: [500, 2_000], warmupMs: 500, measureMs: 1_500 },
      throughput: { window: 1, warmupMs: 500, measureMs: 1_500, pgbenchClients: 10, pgbenchSeconds: 2 },
      idle: { sockets: 1_000 },
      group: { members: 200, sends: 20, warmupSends: 3, intervalMs: 40 },
      cross: { pairs: 50, rate: 500, warmupMs: 500, measureMs: 1_500 },
      history: { listUsers: 60, messages: 200_000, calls: 200, warmupCalls: 30 },
    };
  }
  return {
    quick,
    workers: 2,
    bodyChars: 80,
    ackTimeoutMs: 10_000,
    maxInFlightPerWorker: 1_000,
    connectConcurrency: 100,
    oneToOne: { pairs: 500, rates: [500, 2_000, 5_000], warmupMs: 3_000, measureMs: 10_000 },
    throughput: { window: 1, warmupMs: 3_000, measureMs: 12_000, pgbenchClients: 10, pgbenchSeconds: 12 },
    idle: { sockets: 10_000 },
    group: { members: 1_000, sends: 200, warmupSends: 20, intervalMs: 50 },
    cross: { pairs: 250, rate: 1_000, warmupMs: 2_000, measureMs: 8_000 },
    history: { listUsers: 200, messages: 10_000_000, calls: 1_000, warmupCalls: 100 },
  };
}
