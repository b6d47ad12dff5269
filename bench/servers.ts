import path from "node:path";
import { fileURLToPath } from "node:url";
import { Child } from "./lib/child";
import type { GcPauses } from "./lib/gc-pauses";
import type { LoopDelay } from "./lib/loop-busy";
import type { ProcessStats } from "./lib/process-stats";
import type { Residence } from "./lib/residence";
import { serveV8Options } from "./lib/v8-options";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface RunningServer {
  name: string;
  url: string;
  pid: number | undefined;
  stats(gc?: boolean): Promise<ProcessStats>;
  /** The server's GC pauses since the last call (see GcPauseTracker). */
  gcPauses(): Promise<GcPauses>;
  /** The share of wall time its event loop was busy since the last call (see EventLoopBusyMeter). */
  loopBusy(): Promise<number>;
  /** How late its event loop ran since the last call (see EventLoopDelayMeter). */
  loopDelay(): Promise<LoopDelay>;
  /** How long work stayed inside it since the last call (see ResidenceMeter). */
  residence(): Promise<Residence>;
  request<T>(message: { op: string } & Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

async function start(name: string, file: string, env: Record<string, string>, execArgv: string[]): Promise<RunningServer> {
  const child = new Child<{ port: number }>(name, path.join(here, file), { env, execArgv });
  const { port } = await child.ready;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stats: (gc = false) => child.request<ProcessStats>({ op: "stats", gc }),
    gcPauses: () => child.request<GcPauses>({ op: "gc-pauses" }),
    loopBusy: () => child.request<number>({ op: "loop-busy" }),
    loopDelay: () => child.request<LoopDelay>({ op: "loop-delay" }),
    residence: () => child.request<Residence>({ op: "residence" }),
    request: (message) => child.request(message),
    stop: () => child.stop(),
  };
}

export interface ServerOptions {
  name: string;
  adapter: "redis" | "memory";
  redisUrl: string;
}

/**
 * --expose-gc: memory is read after a full collection (scenario 3). The rest are the production server's
 * V8 options (`npm run serve`), for the app and the bare relay alike.
 */
export const SERVER_V8_OPTIONS = serveV8Options();
const EXEC_ARGV = ["--expose-gc", ...SERVER_V8_OPTIONS];

/** A chat instance (bench/app-server.ts) on the bench database. */
export function startAppServer(options: ServerOptions & { databaseUrl: string; authSecret: string }): Promise<RunningServer> {
  return start(
    options.name,
    "app-server.ts",
    {
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      BENCH_AUTH_SECRET: options.authSecret,
      BENCH_ADAPTER: options.adapter,
      NODE_ENV: "production",
    },
    EXEC_ARGV,
  );
}

/** The bare Socket.IO relay (bench/bare-relay.ts). */
export function startBareRelay(options: ServerOptions): Promise<RunningServer> {
  return start(options.name, "bare-relay.ts", { REDIS_URL: options.redisUrl, BENCH_ADAPTER: options.adapter, NODE_ENV: "production" }, EXEC_ARGV);
}
