import path from "node:path";
import { fileURLToPath } from "node:url";
import { Child } from "./lib/child";
import type {
  CollectResult,
  ConnectRequest,
  ConnectResult,
  FleetUser,
  GroupRequest,
  LoadRequest,
  LoadResult,
  ProgressResult,
  RpcRequest,
  RpcResult,
  Target,
} from "./load/protocol";

const workerFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "load/worker.ts");

/** The orchestrator's handle on one load generator process (bench/load/worker.ts). */
export class LoadWorker {
  private constructor(
    readonly index: number,
    private readonly child: Child,
  ) {}

  static async start(index: number): Promise<LoadWorker> {
    const child = new Child(`worker ${index}`, workerFile, { env: { BENCH_WORKER_ID: String(index) } });
    await child.ready;
    return new LoadWorker(index, child);
  }

  connect(request: ConnectRequest) {
    return this.child.request<ConnectResult>({ op: "connect", ...request });
  }
  /** Starts a phase's records; arrivals inside [from, to) count towards the delivered rate. */
  phase(fleet: string, phase: string, window?: { from: number; to: number }) {
    return this.child.request<void>({ op: "phase", fleet, phase, ...window });
  }
  load(request: LoadRequest) {
    return this.child.request<LoadResult>({ op: "load", ...request });
  }
  group(request: GroupRequest) {
    return this.child.request<LoadResult>({ op: "group", ...request });
  }
  rpc(request: RpcRequest) {
    return this.child.request<RpcResult>({ op: "rpc", ...request });
  }
  progress(fleet: string) {
    return this.child.request<ProgressResult>({ op: "progress", fleet });
  }
  collect(fleet: string) {
    return this.child.request<CollectResult>({ op: "collect", fleet });
  }
  disconnect(fleet: string) {
    return this.child.request<void>({ op: "disconnect", fleet });
  }
  cpuMicros() {
    return this.child.request<number>({ op: "cpu" });
  }
  get pid() {
    return this.child.pid;
  }
  stop() {
    return this.child.stop();
  }
}

export interface FleetPlacement {
  /** Users each worker connects, by worker index. */
  byWorker: FleetUser[][];
}

/** Connects a fleet: each worker connects its users to the server at `url`; throws if any socket failed. */
export async function connectFleet({
  workers,
  fleet,
  url,
  target,
  placement,
  authSecret,
  concurrency,
}: {
  workers: LoadWorker[];
  fleet: string;
  url: string | string[];
  target: Target;
  placement: FleetPlacement;
  authSecret: string;
  concurrency: number;
}): Promise<{ connected: number; elapsedMs: number }> {
  const results = await Promise.all(
    workers.map((worker) =>
      worker.connect({
        fleet,
        url: Array.isArray(url) ? url[worker.index % url.length]! : url,
        target,
        users: placement.byWorker[worker.index] ?? [],
        authSecret,
        concurrency,
      }),
    ),
  );
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  if (failed > 0) throw new Error(`${failed} sockets of fleet ${fleet} failed to connect: ${results.flatMap((result) => result.errors).join("; ")}`);
  return { connected: results.reduce((sum, result) => sum + result.connected, 0), elapsedMs: Math.max(...results.map((result) => result.elapsedMs)) };
}
