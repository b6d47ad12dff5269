import { readFileSync } from "node:fs";
import { POSTGRES_COMMANDS, pidsByCommand } from "./processes";

const BLOCK_BYTES = 8192;

/** What Postgres read from outside its shared buffers during a run of calls, per call. */
export interface StorageReads {
  /** 8 kB blocks read from outside the shared buffers: from the OS page cache or from the disk. */
  blocksPerCall: number;
  /** What the kernel fetched from the disk for them (readahead included), in 8 kB blocks. */
  diskBlocksPerCall: number;
}

type Counters = Map<number, { rchar: number; readBytes: number }>;

/** `rchar` counts the bytes a process read through read()/pread() (Postgres reads sockets with recv()), `read_bytes` what the disk supplied. */
function parseIo(text: string): { rchar: number; readBytes: number } | null {
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, "m").exec(text)?.[1] ?? NaN);
  const counters = { rchar: field("rchar"), readBytes: field("read_bytes") };
  return Number.isFinite(counters.rchar) && Number.isFinite(counters.readBytes) ? counters : null;
}

function sample(): Counters | null {
  const counters: Counters = new Map();
  for (const pid of pidsByCommand(POSTGRES_COMMANDS)) {
    try {
      const io = parseIo(readFileSync(`/proc/${pid}/io`, "utf8"));
      if (io) counters.set(pid, io);
    } catch {
      // Ended meanwhile, or not ours to read.
    }
  }
  return counters.size > 0 ? counters : null;
}

/**
 * Reads every local Postgres process's I/O counters from /proc around a run of calls: a history page
 * whose rows are not in the shared buffers costs a read per message, and where those come from the
 * disk they bound its latency. Null where Postgres is not a local process this one may inspect.
 */
export class StorageReadMeter {
  private start: Counters | null = null;

  begin() {
    this.start = sample();
  }

  end(calls: number): StorageReads | null {
    const start = this.start;
    const end = sample();
    if (!start || !end || calls === 0) return null;
    let bytes = 0;
    let diskBytes = 0;
    // A process that started meanwhile (a new connection) counts from zero.
    for (const [pid, counters] of end) {
      const before = start.get(pid) ?? { rchar: 0, readBytes: 0 };
      bytes += Math.max(0, counters.rchar - before.rchar);
      diskBytes += Math.max(0, counters.readBytes - before.readBytes);
    }
    const perCall = (total: number) => Math.round((10 * total) / BLOCK_BYTES / calls) / 10;
    return { blocksPerCall: perCall(bytes), diskBlocksPerCall: perCall(diskBytes) };
  }
}
