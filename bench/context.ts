import path from "node:path";
import type { BenchConfig } from "./config";
import { CpuMeter } from "./cpu";
import type { Sql } from "./db/database";
import type { GcPauses } from "./lib/gc-pauses";
import type { LoopDelay } from "./lib/loop-busy";
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

/** What stalled a server's thread over a span: its GC pauses, and how late its event loop ran. */
export interface ServerStalls {
  gc: GcPauses;
  loopDelay: LoopDelay;
}

/**
 * Runs `work` between two CPU samples, and reads how busy each server's event loop was over the same
 * span and what stalled it (`stalls`, in the order of `servers`); with --cpu-prof, each server also
 * profiles itself for exactly that span, into <profile dir>/<label>-<server>.cpuprofile.
 */
export async function withCpu<T>(context: BenchContext, servers: RunningServer[], work: () => Promise<T>, label?: string) {
  const profiling = context.cpuProfileDir && label ? context.cpuProfileDir : null;
  if (profiling) await Promise.all(servers.map((server) => server.request({ op: "profile-start" })));
  const meter = cpuMeter(context, servers);
  const windows = () =>
    Promise.all(
      servers.map(async (server) => {
        const [busy, gc, loopDelay] = await Promise.all([server.loopBusy(), server.gcPauses(), server.loopDelay()]);
        return { busy, gc, loopDelay };
      }),
    );
  await windows();
  meter.begin();
  const result = await work();
  const closed = await windows();
  const cpu = meter.end(Math.max(...closed.map((window) => window.busy)));
  const stalls: ServerStalls[] = closed.map(({ gc, loopDelay }) => ({ gc, loopDelay }));
  if (profiling) await Promise.all(servers.map((server) => server.request({ op: "profile-stop", file: path.join(profiling, `${label}-${server.name}.cpuprofile`) })));
  return { result, cpu, stalls };
}
