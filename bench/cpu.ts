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

function ticksByCommand(names: string[]): number {
  return pidsByCommand(names).reduce((total, pid) => total + ticksOf(pid), 0);
}

interface Sample {
  at: number;
  machine: { busy: number; idle: number } | null;
  servers: number;
  loadGenerators: number;
  postgres: number;
  redis: number;
}

export class CpuMeter {
  private start: Sample | null = null;

  constructor(
    private readonly serverPids: () => Array<number | undefined>,
    private readonly workerPids: () => Array<number | undefined>,
  ) {}

  private sample(): Sample {
    const sum = (pids: Array<number | undefined>) => pids.reduce<number>((total, pid) => total + (pid ? ticksOf(pid) : 0), 0);
    return {
      at: Date.now(),
      machine: machineTicks(),
      servers: sum(this.serverPids()),
      loadGenerators: sum(this.workerPids()) + ticksByCommand(["pgbench"]),
      postgres: ticksByCommand(POSTGRES_COMMANDS),
      redis: ticksByCommand(["redis-server"]),
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
    const servers = end.servers - start.servers;
    const loadGenerators = end.loadGenerators - start.loadGenerators;
    const postgres = end.postgres - start.postgres;
    const redis = end.redis - start.redis;
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
    };
  }
}
