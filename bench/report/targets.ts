import { storageReadsCell } from "./table";
import type { BenchResults, TargetCheck } from "./results";

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : "none measured");
const perSecond = (value: number) => `${value.toLocaleString("en", { maximumFractionDigits: 0 })}/s`;

/** The spec's performance targets, each against what this run measured. */
export function evaluateTargets(results: Omit<BenchResults, "targets">): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const { oneToOne, throughput, idleMemory, group, history } = results.scenarios;
  const at2000 = oneToOne?.points.find((point) => point.rate === 2000);
  if (at2000) {
    const { app, bare, pgbench, service } = at2000;
    const limits = (key: "p50" | "p99") => `bare ${ms(bare.latency[key])}, pgbench ${ms(pgbench.latency[key])}, service in-process ${ms(service.latency[key])}`;
    checks.push({ name: "1:1 at 2,000/s, p50", target: "≤ 5 ms", measured: ms(app.latency.p50), limits: limits("p50"), met: app.latency.p50 <= 5 });
    checks.push({ name: "1:1 at 2,000/s, p99", target: "≤ 25 ms", measured: ms(app.latency.p99), limits: limits("p99"), met: app.latency.p99 <= 25 });
    checks.push({
      name: "1:1 at 2,000/s, p99 vs bare relay",
      target: "≤ bare p99 + 15 ms",
      measured: `${ms(app.latency.p99)} vs ${ms(bare.latency.p99)} + 15`,
      limits: `service in-process ${ms(service.latency.p99)}`,
      met: app.latency.p99 <= bare.latency.p99 + 15,
    });
    checks.push({
      name: "1:1 at 2,000/s, rate delivered",
      target: "≥ 98% of offered",
      measured: `${app.deliveredRate.toFixed(0)}/s`,
      met: app.deliveredRate >= 0.98 * 2000,
    });
  }
  if (throughput) {
    checks.push({
      name: "Sustained persisted + delivered",
      target: "≥ 5,000 msg/s, none lost",
      measured: `${throughput.appRate.toFixed(0)} msg/s, checker ${throughput.app.check.ok ? "ok" : "FAILED"}`,
      limits: `bare ${perSecond(throughput.bareRate)}, pgbench ${perSecond(throughput.pgbench.messagesPerSec)} (10/tx ${perSecond(throughput.pgbenchBatched.messagesPerSec)})`,
      met: throughput.appRate >= 5000 && throughput.app.check.ok,
    });
  }
  if (idleMemory) {
    checks.push({
      name: `Memory per idle socket (${idleMemory.sockets.toLocaleString("en")})`,
      target: "≤ 1.15× bare Socket.IO",
      measured: `${(idleMemory.app.rssPerSocket / 1024).toFixed(1)} vs ${(idleMemory.bare.rssPerSocket / 1024).toFixed(1)} KiB RSS (${idleMemory.vsBare.rss}×)`,
      met: idleMemory.vsBare.rss <= 1.15,
    });
  }
  if (group) {
    checks.push({
      name: `${group.members.toLocaleString("en")}-member group, last recipient p99`,
      target: "≤ 60 ms",
      measured: ms(group.app.lastRecipient.p99),
      limits: `bare ${ms(group.bare.lastRecipient.p99)}`,
      met: group.app.lastRecipient.p99 <= 60 && group.app.incomplete === 0,
    });
  }
  if (history) {
    const scale = `${(history.messages / 1e6).toFixed(1)}M msgs`;
    const limits = (read: typeof history.history) =>
      `bare ${ms(read.bare.p99)}, service in-process ${ms(read.service.p99)}${read.storage.app ? `, pg reads/call ${storageReadsCell(read.storage.app)}` : ""}`;
    checks.push({ name: `History page p99 (${scale})`, target: "≤ 5 ms", measured: ms(history.history.app.p99), limits: limits(history.history), met: history.history.app.p99 <= 5 });
    checks.push({
      name: `Conversation list of 50 p99 (${scale})`,
      target: "≤ 15 ms",
      measured: ms(history.list.app.p99),
      limits: limits(history.list),
      met: history.list.app.p99 <= 15,
    });
    const sorts = history.plans.reduce((sum, plan) => sum + plan.sorts, 0);
    const seqScans = history.plans.reduce((sum, plan) => sum + plan.seqScans, 0);
    checks.push({
      name: "Read queries: index scans, no sorts",
      target: "0 seq scans, 0 sorts",
      measured: `${seqScans} seq scans, ${sorts} sorts in ${history.plans.length} queries`,
      met: sorts === 0 && seqScans === 0,
    });
  }
  const bundle = results.bundle;
  checks.push(
    bundle.built
      ? { name: `Chat route first-load JS (${bundle.chatRoute.route})`, target: "≤ 130 kB gzip", measured: `${(bundle.chatRoute.gzipBytes / 1000).toFixed(1)} kB gzip`, met: bundle.chatRoute.gzipBytes <= 130_000 }
      : { name: "Chat route first-load JS", target: "≤ 130 kB gzip", measured: bundle.message, met: null },
  );
  return checks;
}
