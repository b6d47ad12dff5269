import type { CheckResult } from "../checker";
import type { CpuSplit } from "../cpu";
import type { PhaseOutcome } from "../phase";

/** A phase as reported: its figures, without the raw records the checker consumed. */
export type PhaseSummary = Omit<PhaseOutcome, "acks" | "receipts" | "collected"> & {
  check: CheckResult;
  cpu: CpuSplit | null;
  /** Server CPU time (all server processes of the phase) per acknowledged message, in ms. */
  serverCpuMsPerMessage: number;
};

export function summarize(outcome: PhaseOutcome, check: CheckResult, cpu: CpuSplit | null): PhaseSummary {
  const { acks: _acks, receipts: _receipts, collected: _collected, ...figures } = outcome;
  void _acks;
  void _receipts;
  void _collected;
  const serverCpuMs = cpu ? (cpu.servers / 100) * cpu.cores * cpu.seconds * 1000 : NaN;
  return { ...figures, check, cpu, serverCpuMsPerMessage: outcome.acked ? Math.round((serverCpuMs / outcome.acked) * 1000) / 1000 : NaN };
}

export function ratio(value: number, limit: number): number {
  return limit > 0 ? Math.round((value / limit) * 100) / 100 : NaN;
}
