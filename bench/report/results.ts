import type { CpuSplit } from "../cpu";
import type { CrossInstanceResult } from "../scenarios/cross-instance";
import type { GroupResult } from "../scenarios/group";
import type { HistoryResult } from "../scenarios/history";
import type { IdleMemoryResult } from "../scenarios/idle-memory";
import type { OneToOneResult } from "../scenarios/one-to-one";
import type { ThroughputResult } from "../scenarios/throughput";
import type { BundleResult } from "./bundle";
import type { ProfileSummary } from "./cpu-profile";

export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  /** What the limits measured beside it in the same run: what the app cannot beat on this machine. */
  limits?: string;
  met: boolean | null;
}

/** Everything one run produced: written as bench/results/<timestamp>.json and latest.json. */
export interface BenchResults {
  version: 1;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    /** The V8 options the app and the bare relay ran with (the production server's, from `npm run serve`). */
    serverV8Options: string[];
    postgres: string;
    redis: string;
    loadAverageAtStart: number[];
  };
  seeding: { seconds: number; historyMessages: number };
  scenarios: {
    oneToOne?: OneToOneResult;
    throughput?: ThroughputResult;
    idleMemory?: IdleMemoryResult;
    group?: GroupResult;
    crossInstance?: CrossInstanceResult;
    history?: HistoryResult;
  };
  bundle: BundleResult;
  /** The checker's verdict over every app phase. */
  checker: { ok: boolean; phases: number; lost: number; duplicated: number; reordered: number; undelivered: number; seqGaps: number; phantom: number };
  targets: TargetCheck[];
  cpuProfiles: ProfileSummary[];
  notes: string[];
}

export type { CpuSplit };
