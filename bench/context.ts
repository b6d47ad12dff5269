import path from "node:path";
import type { BenchConfig } from "./config";
import { CpuMeter } from "./cpu";
import type { Sql } from "./db/database";
import type { RunningServer } from "./servers";
import type { LoadWorker } from "./workers";

/** What every scenario gets from the orchestrator. */
export interface BenchContext {
  config: BenchConfig;
  nonce: string;
  databaseUrl: string;
  redisUrl: string;
  authSecret: string;
  /** The orchestrator's own connection to the bench database (seeding, checker, EXPLAIN). */
  sql: Sql;
  workers: LoadWorker[];
  /** Set by --cpu-prof: servers write V8 CPU profiles here. */
  cpuProfileDir?: string;
  log(message: string): void;
}

export function cpuMeter(context: BenchContext, servers: RunningServer[]): CpuMeter {
  return new CpuMeter(
    () => servers.map((server) => server.pid),
    () => context.workers.map((worker) => worker.pid),
  );
}

/**
 * Runs `work` between two CPU samples, and reads how busy each server's event loop was over the same
 * span; with --cpu-prof, each server also profiles itself for exactly that span, into
 * <profile dir>/<label>-<server>.cpuprofile.
 */
export async function withCpu<T>(context: BenchContext, servers: RunningServer[], work: () => Promise<T>, label?: string) {
  const profiling = context.cpuProfileDir && label ? context.cpuProfileDir : null;
  if (profiling) await Promise.all(servers.map((server) => server.request({ op: "profile-start" })));
  const meter = cpuMeter(context, servers);
  const loopBusy = () => Promise.all(servers.map((server) => server.loopBusy()));
  await loopBusy();
  meter.begin();
  const result = await work();
  const cpu = meter.end(Math.max(...(await loopBusy())));
  if (profiling) await Promise.all(servers.map((server) => server.request({ op: "profile-stop", file: path.join(profiling, `${label}-${server.name}.cpuprofile`) })));
  return { result, cpu };
}
