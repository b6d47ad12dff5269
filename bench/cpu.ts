import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { POSTGRES_COMMANDS, pidsByCommand } from "./lib/processes";

/**
 * Where the machine's CPU went during a phase: the chat/relay server process(es), the load generators,
 * Postgres, Redis, and everything else (including other people's work on a shared machine), as a share
 * of all cores (100% = every core busy). Read from /proc, so Linux only; elsewhere it reports nothing.
 */
export interface CpuSplit {
  cores: number;
  seconds: number;
  /** Percent of the whole machine (all cores). */
  servers: number;
  loadGenerators: number;
  postgres: number;
  redis: number;
  other: number;
  idle: number;
  /**
   * Percent of the phase's wall time the busiest server's event loop spent running code rather than
   * waiting: near 100, that server's one JavaScript thread was the bottleneck.
   */
  serverLoop: number;
  /**
   * How long each group's threads were ready to run but waited for a core, in ms per second of the phase
   * (summed over the group's processes; the main thread of each, which for Node is its JavaScript thread).
   * Every such wait delays whatever message that thread was carrying.
   */
  waitedForCore: { servers: number; loadGenerators: number; postgres: number; redis: number } | null;
}

const TICKS_PER_SECOND = 100;

function machineTicks(): { busy: number; idle: number } | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, idle };
  } catch {
    return null;
  }
}

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the command).
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Nanoseconds the process's main thread has spent runnable but waiting for a core (/proc/<pid>/schedstat). */
function runQueueWaitOf(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[1]);
  } catch {
    return null;
  }
}

interface Usage {
  ticks: number;
  /** Per process: its main thread's run-queue wait so far; null where the kernel keeps no scheduler statistics. */
  waitNs: Map<number, number> | null;
}

function usageOf(pids: number[]): Usage {
  let ticks = 0;
  let waitNs: Map<number, number> | null = new Map();
  for (const pid of pids) {
    ticks += ticksOf(pid);
    const wait = runQueueWaitOf(pid);
    if (wait === null) waitNs = null;
    else waitNs?.set(pid, wait);
  }
  return { ticks, waitNs };
}

/** A process that started during the phase counts in full; one that ended during it is not seen. */
function waitedNs(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, wait] of after) total += wait - (before.get(pid) ?? 0);
  return total;
}

const definedPids = (pids: Array<number | undefined>) => pids.filter((pid): pid is number => pid !== undefined);

interface Sample {
  at: number;
  machine: { busy: number; idle: number } | null;
  servers: Usage;
  loadGenerators: Usage;
  postgres: Usage;
  redis: Usage;
}

export class CpuMeter {
  private start: Sample | null = null;

  constructor(
    private readonly serverPids: () => Array<number | undefined>,
    private readonly workerPids: () => Array<number | undefined>,
  ) {}

  private sample(): Sample {
    return {
      at: Date.now(),
      machine: machineTicks(),
      servers: usageOf(definedPids(this.serverPids())),
      loadGenerators: usageOf([...definedPids(this.workerPids()), ...pidsByCommand(["pgbench"])]),
      postgres: usageOf(pidsByCommand(POSTGRES_COMMANDS)),
      redis: usageOf(pidsByCommand(["redis-server"])),
    };
  }

  begin() {
    this.start = this.sample();
  }

  /** `serverLoopBusy`: the busiest server's event loop share (0–1) over the same span. */
  end(serverLoopBusy: number): CpuSplit | null {
    const start = this.start;
    const end = this.sample();
    if (!start?.machine || !end.machine) return null;
    const cores = cpus().length;
    const seconds = (end.at - start.at) / 1000;
    const capacity = seconds * TICKS_PER_SECOND * cores;
    const share = (ticks: number) => Math.round((1000 * ticks) / capacity) / 10;
    const servers = end.servers.ticks - start.servers.ticks;
    const loadGenerators = end.loadGenerators.ticks - start.loadGenerators.ticks;
    const postgres = end.postgres.ticks - start.postgres.ticks;
    const redis = end.redis.ticks - start.redis.ticks;
    const waited = (group: "servers" | "loadGenerators" | "postgres" | "redis") => {
      const [before, after] = [start[group].waitNs, end[group].waitNs];
      return before === null || after === null ? null : Math.round((waitedNs(before, after) / 1e6 / seconds) * 10) / 10;
    };
    const waits = { servers: waited("servers"), loadGenerators: waited("loadGenerators"), postgres: waited("postgres"), redis: waited("redis") };
    const busy = end.machine.busy - start.machine.busy;
    const idle = end.machine.idle - start.machine.idle;
    return {
      cores,
      seconds,
      servers: share(servers),
      loadGenerators: share(loadGenerators),
      postgres: share(postgres),
      redis: share(redis),
      other: share(Math.max(0, busy - servers - loadGenerators - postgres - redis)),
      idle: share(idle),
      serverLoop: Math.round(1000 * serverLoopBusy) / 10,
      waitedForCore: Object.values(waits).includes(null) ? null : (waits as NonNullable<CpuSplit["waitedForCore"]>),
    };
  }
}
