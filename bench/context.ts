import path from "node:path";
import type { BenchConfig } from "./config";
import { CpuMeter } from "./cpu";
import type { Sql } from "./db/database";
import type { GcPauses } from "./lib/gc-pauses";
import type { LoopDelay } from "./lib/loop-busy";
import type { Residence } from "./lib/residence";
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
 * What a server measured of itself over a span: what stalled its thread (GC pauses, how late its event
 * loop ran), and how long work stayed inside it.
 */
export interface ServerWindow {
  gc: GcPauses;
  loopDelay: LoopDelay;
  residence: Residence;
}

/**
 * Runs `work` between two CPU samples, and reads how busy each server's event loop was over the same
 * span and what else it measured of itself (`windows`, in the order of `servers`); with --cpu-prof, each server also
 * profiles itself for exactly that span, into <profile dir>/<label>-<server>.cpuprofile.
 */
export async function withCpu<T>(context: BenchContext, servers: RunningServer[], work: () => Promise<T>, label?: string) {
  const profiling = context.cpuProfileDir && label ? context.cpuProfileDir : null;
  if (profiling) await Promise.all(servers.map((server) => server.request({ op: "profile-start" })));
  const meter = cpuMeter(context, servers);
  const windows = () =>
    Promise.all(
      servers.map(async (server) => {
        const [busy, gc, loopDelay, residence] = await Promise.all([server.loopBusy(), server.gcPauses(), server.loopDelay(), server.residence()]);
        return { busy, window: { gc, loopDelay, residence } };
      }),
    );
  await windows();
  meter.begin();
  const result = await work();
  const closed = await windows();
  const cpu = meter.end(Math.max(...closed.map((window) => window.busy)));
  if (profiling) await Promise.all(servers.map((server) => server.request({ op: "profile-stop", file: path.join(profiling, `${label}-${server.name}.cpuprofile`) })));
  return { result, cpu, windows: closed.map(({ window }) => window) };
}
