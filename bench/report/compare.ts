import type { BenchResults } from "./results";

interface Metric {
  name: string;
  /** Lower is better (latency, memory) or higher is better (throughput). */
  better: "lower" | "higher";
  read(results: BenchResults): number | undefined;
}

const METRICS: Metric[] = [
  ...[500, 2000, 5000].flatMap((rate): Metric[] => [
    { name: `1:1 ${rate}/s app p50 ms`, better: "lower", read: (r) => r.scenarios.oneToOne?.points.find((p) => p.rate === rate)?.app.latency.p50 },
    { name: `1:1 ${rate}/s app p99 ms`, better: "lower", read: (r) => r.scenarios.oneToOne?.points.find((p) => p.rate === rate)?.app.latency.p99 },
    { name: `1:1 ${rate}/s bare p99 ms`, better: "lower", read: (r) => r.scenarios.oneToOne?.points.find((p) => p.rate === rate)?.bare.latency.p99 },
    { name: `1:1 ${rate}/s service p99 ms`, better: "lower", read: (r) => r.scenarios.oneToOne?.points.find((p) => p.rate === rate)?.service?.latency.p99 },
  ]),
  { name: "sustained app msg/s", better: "higher", read: (r) => r.scenarios.throughput?.appRate },
  { name: "sustained bare msg/s", better: "higher", read: (r) => r.scenarios.throughput?.bareRate },
  { name: "pgbench 1 msg/tx msg/s", better: "higher", read: (r) => r.scenarios.throughput?.pgbench.messagesPerSec },
  { name: "idle app RSS/socket B", better: "lower", read: (r) => r.scenarios.idleMemory?.app.rssPerSocket },
  { name: "idle bare RSS/socket B", better: "lower", read: (r) => r.scenarios.idleMemory?.bare.rssPerSocket },
  { name: "group last recipient p99 ms", better: "lower", read: (r) => r.scenarios.group?.app.lastRecipient.p99 },
  { name: "cross-instance app p99 overhead ms", better: "lower", read: (r) => r.scenarios.crossInstance?.overheadMs.app.p99 },
  { name: "history page app p99 ms", better: "lower", read: (r) => r.scenarios.history?.history.app.p99 },
  { name: "conversation list app p99 ms", better: "lower", read: (r) => r.scenarios.history?.list.app.p99 },
  { name: "chat route first-load JS gzip B", better: "lower", read: (r) => (r.bundle.built ? r.bundle.chatRoute.gzipBytes : undefined) },
];

/** This run against the previous latest.json, metric by metric (only those both runs measured). */
export function compareWithPrevious(current: BenchResults, previous: BenchResults): string {
  const rows: string[] = [];
  for (const metric of METRICS) {
    const now = metric.read(current);
    const before = metric.read(previous);
    if (now === undefined || before === undefined || !Number.isFinite(now) || !Number.isFinite(before)) continue;
    const change = before === 0 ? 0 : ((now - before) / Math.abs(before)) * 100;
    const improved = metric.better === "lower" ? now < before : now > before;
    const mark = Math.abs(change) < 5 ? "≈" : improved ? "better" : "worse";
    rows.push(`${metric.name.padEnd(38)} ${before.toFixed(2).padStart(12)} → ${now.toFixed(2).padStart(12)}  ${(change >= 0 ? "+" : "") + change.toFixed(1)}%  ${mark}`);
  }
  const header = `Compared with the previous run (${previous.startedAt}, ${previous.quick ? "quick" : "full"}${previous.quick !== current.quick ? " — a different mode, not comparable" : ""}):`;
  return [header, ...(rows.length ? rows : ["(no common metrics)"])].join("\n");
}
