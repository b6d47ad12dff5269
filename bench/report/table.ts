import type { ServerWindow } from "../context";
import type { CpuSplit } from "../cpu";
import type { GcPauses } from "../lib/gc-pauses";
import type { LatencySummary } from "../lib/histogram";
import type { StorageReads } from "../lib/storage-reads";
import type { ReadSide } from "../scenarios/history";
import type { BenchResults } from "./results";

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  return [line(cells[0]!), widths.map((width) => "-".repeat(width)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const rate = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString("en") : "-");
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en")} MiB`;
const latencyCells = (latency: LatencySummary) => [f(latency.p50), f(latency.p90), f(latency.p99), f(latency.p999)];
const gcCell = ({ minor, major }: GcPauses) =>
  `scavenges: ${minor.count}, max ${f(minor.maxMs, 1)} ms, ${f(minor.totalMs, 0)} ms in all${major.count ? `; other: ${major.count}, max ${f(major.maxMs, 1)} ms` : ""}`;
const stallsCell = ({ gc, loopDelay }: ServerWindow) => `${gcCell(gc)}; loop delay p99 ${f(loopDelay.p99Ms, 1)}, max ${f(loopDelay.maxMs, 1)} ms`;
const residenceCell = ({ residence: { ack, store } }: ServerWindow) =>
  `in the server p50 ${f(ack.p50)}, p99 ${f(ack.p99)}, max ${f(ack.max, 1)}${store ? `; batches in Postgres p50 ${f(store.p50)}, p99 ${f(store.p99)}, max ${f(store.max, 1)} (${store.count.toLocaleString("en")})` : ""}`;
const waitedCell = (split: CpuSplit | null) => {
  const waited = split?.waitedForCore;
  return waited ? `waited for a core (ms/s): srv ${f(waited.servers, 0)} gen ${f(waited.loadGenerators, 0)} pg ${f(waited.postgres, 0)} redis ${f(waited.redis, 0)}` : "waited for a core: -";
};
/** Blocks Postgres read from outside its shared buffers per call, and how many of them the disk supplied. */
export const storageReadsCell = (reads: StorageReads | null) =>
  reads ? `${f(reads.blocksPerCall, 1)} (disk ${f(reads.diskBlocksPerCall, 1)})` : "-";
const delivered = (phase: { deliveredRate: number; saturated: boolean; skipped: number }) =>
  `${rate(phase.deliveredRate)}${phase.saturated ? ` SATURATED${phase.skipped ? ` (${phase.skipped.toLocaleString("en")} skipped)` : ""}` : ""}`;
const cpu = (split: CpuSplit | null) => (split ? `srv ${split.servers}% (loop ${split.serverLoop}%) gen ${split.loadGenerators}% pg ${split.postgres}% redis ${split.redis}% other ${split.other}%` : "-");

const inServerLine = (operation: string, { inServer: { app, bare } }: ReadSide) =>
  `  ${operation}  app p50 ${f(app.p50)}, p99 ${f(app.p99)}, max ${f(app.max, 1)}  |  bare relay p50 ${f(bare.p50)}, p99 ${f(bare.p99)}, max ${f(bare.max, 1)}`;

/** The run as text: one table per scenario, limits side by side, then the targets. */
export function formatReport(results: BenchResults): string {
  const out: string[] = [];
  const { oneToOne, throughput, idleMemory, group, crossInstance, history } = results.scenarios;
  out.push(`Chat benchmark — ${results.quick ? "QUICK" : "full"} run, ${results.startedAt}, ${results.durationSeconds.toFixed(0)} s`);
  out.push(`Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB; Node ${results.machine.node} (servers: ${results.machine.serverV8Options.join(" ")}); ${results.machine.postgres}; Redis ${results.machine.redis}`);
  out.push(`Load generators, servers, Postgres and Redis share these cores. Latencies in ms.`);

  if (oneToOne) {
    out.push("", `(1) One-to-one, ${oneToOne.users.toLocaleString("en")} connected users, open loop (sender emit → recipient receive)`);
    out.push(
      table(
        ["rate/s", "system", "delivered/s", "p50", "p90", "p99", "p99.9", "ack p99", "vs bare p50/p99", "check", "srv CPU ms/msg", "CPU (of all cores)"],
        oneToOne.points.flatMap((point) => [
          [rate(point.rate), "app", delivered(point.app), ...latencyCells(point.app.latency), f(point.app.ack.p99), `${point.vsBare.p50}× / ${point.vsBare.p99}×`, point.app.check.ok ? "ok" : "FAIL", f(point.app.serverCpuMsPerMessage, 3), cpu(point.app.cpu)],
          ["", "bare relay", delivered(point.bare), ...latencyCells(point.bare.latency), f(point.bare.ack.p99), "1×", point.bare.check.ok ? "ok" : "FAIL", f(point.bare.serverCpuMsPerMessage, 3), cpu(point.bare.cpu)],
          ["", "pgbench", rate(point.pgbench.messagesPerSec), ...latencyCells(point.pgbench.latency), "-", "-", point.pgbench.failed ? "FAIL" : "ok", "-", "-"],
          ["", "service in-process", rate(point.service.storedRate), ...latencyCells(point.service.latency), f(point.service.latency.p99), "-", point.service.check.ok && !point.service.failed ? "ok" : "FAIL", "-", `its process's GC: ${gcCell(point.service.gc)}`],
        ]),
      ),
    );
    out.push(
      "What stalled each server's thread during its phase (a stall delays every message in flight): GC pauses; how late its event loop ran.",
      ...oneToOne.points.map((point) => `  ${rate(point.rate)}/s  app ${stallsCell(point.inServers.app)}  |  bare relay ${stallsCell(point.inServers.bare)}`),
      "Where a message's time went during each phase: how long a send of the measured window stayed in the server (frame decoded → ack",
      "written) and, in the app, a send batch's round trip to Postgres (statement issued → rows back); how long each group's threads were",
      "ready to run but waited for a core, over the whole phase.",
      ...oneToOne.points.flatMap((point) => [
        `  ${rate(point.rate)}/s  app ${residenceCell(point.inServers.app)}; ${waitedCell(point.app.cpu)}`,
        `  ${" ".repeat(rate(point.rate).length)}   bare relay ${residenceCell(point.inServers.bare)}; ${waitedCell(point.bare.cpu)}`,
      ]),
      "service in-process: the send service the socket handler calls (validation, group commit, store), called at the same rate by the",
      "same users in the orchestrator, without sockets or Redis; latency is call → committed, what an ack waits for (load generators idle).",
    );
  }
  if (throughput) {
    out.push("", `(2) Maximum sustained throughput, closed loop (${throughput.senders} senders × ${throughput.window} in flight), persisted + delivered`);
    out.push(
      table(
        ["system", "msg/s", "ack p50", "ack p99", "deliv p99", "ratio", "lost", "dup", "reorder", "undeliv", "srv CPU ms/msg", "CPU"],
        [
          ["app", rate(throughput.appRate), f(throughput.app.ack.p50), f(throughput.app.ack.p99), f(throughput.app.latency.p99), "1×", throughput.app.check.lost, throughput.app.check.duplicated, throughput.app.check.reordered, throughput.app.check.undelivered, f(throughput.app.serverCpuMsPerMessage, 3), cpu(throughput.app.cpu)],
          ["bare relay", rate(throughput.bareRate), f(throughput.bare.ack.p50), f(throughput.bare.ack.p99), f(throughput.bare.latency.p99), `app ${throughput.vsBare}×`, "-", throughput.bare.check.duplicated, throughput.bare.check.reordered, throughput.bare.check.undelivered, f(throughput.bare.serverCpuMsPerMessage, 3), cpu(throughput.bare.cpu)],
          ["pgbench 1 msg/tx", rate(throughput.pgbench.messagesPerSec), f(throughput.pgbench.latency.p50), f(throughput.pgbench.latency.p99), "-", `app ${throughput.vsPgbench}×`, "-", "-", "-", "-", "-", "-"],
          ["pgbench 10 msg/tx", rate(throughput.pgbenchBatched.messagesPerSec), f(throughput.pgbenchBatched.latency.p50), f(throughput.pgbenchBatched.latency.p99), "-", `app ${throughput.vsPgbenchBatched}×`, "-", "-", "-", "-", "-", "-"],
        ],
      ),
    );
  }
  if (idleMemory) {
    out.push("", `(3) ${idleMemory.sockets.toLocaleString("en")} idle authenticated sockets: server memory growth per socket (after full GC)`);
    const row = (name: string, side: typeof idleMemory.app) => [
      name,
      kib(side.rssPerSocket),
      kib(side.heapPerSocket),
      kib(side.jsPerSocket),
      `${(side.connected.rss / 2 ** 20).toFixed(0)} MiB`,
      rate(side.handshakesPerSec),
      side.listenersPerSocket,
      side.roomsPerSocket,
    ];
    out.push(
      table(
        ["server", "RSS/socket", "heap/socket", "JS/socket", "RSS total", "handshakes/s", "listeners/socket", "rooms/socket"],
        [row("app", idleMemory.app), row("bare Socket.IO", idleMemory.bare), row("bare + Redis adapter", idleMemory.bareWithRedis)],
      ),
    );
    out.push(`app ÷ bare: RSS ${idleMemory.vsBare.rss}×, heap ${idleMemory.vsBare.heap}×`);
  }
  if (group) {
    out.push("", `(4) ${group.members.toLocaleString("en")}-member group: send → last of ${group.members - 1} recipients, ${group.sends} sends ${group.intervalMs} ms apart`);
    const row = (name: string, side: typeof group.app) => [name, f(side.lastRecipient.p50), f(side.lastRecipient.p99), f(side.lastRecipient.max), f(side.phase.latency.p50), f(side.phase.latency.p99), side.incomplete, side.phase.check.ok ? "ok" : "FAIL"];
    out.push(table(["system", "last p50", "last p99", "last max", "any p50", "any p99", "incomplete", "check"], [row("app", group.app), row("bare relay", group.bare)]));
    out.push(`app ÷ bare (last recipient): p50 ${group.vsBare.p50}×, p99 ${group.vsBare.p99}×`);
  }
  if (crossInstance) {
    out.push(
      "",
      `(5) Two instances via Redis, ${crossInstance.users} users at ${rate(crossInstance.rate)}/s (${crossInstance.rateChoice}): both members on A vs sender on A, recipient on B`,
    );
    const row = (name: string, side: typeof crossInstance.app.single) => [name, delivered(side), ...latencyCells(side.latency), side.check.ok ? "ok" : "FAIL"];
    out.push(
      table(
        ["system", "delivered/s", "p50", "p90", "p99", "p99.9", "check"],
        [
          row("app, 1 instance", crossInstance.app.single),
          row("app, across 2", crossInstance.app.cross),
          row("bare, 1 instance", crossInstance.bare.single),
          row("bare, across 2", crossInstance.bare.cross),
        ],
      ),
    );
    out.push(`cross-instance overhead: app p50 +${crossInstance.overheadMs.app.p50} ms, p99 +${crossInstance.overheadMs.app.p99} ms; bare p50 +${crossInstance.overheadMs.bare.p50} ms, p99 +${crossInstance.overheadMs.bare.p99} ms`);
  }
  if (history) {
    out.push(
      "",
      `(6) ${history.messages.toLocaleString("en")} messages (${history.conversations.toLocaleString("en")} conversations × ${history.messagesPerConversation.toLocaleString("en")}), ${history.calls} calls each, one at a time`,
    );
    const rows = (name: string, side: typeof history.history) => [
      [name, "app (socket round trip)", ...latencyCells(side.app), storageReadsCell(side.storage.app), gcCell(side.gc.app)],
      ["", "bare relay, same answer", ...latencyCells(side.bare), "-", gcCell(side.gc.bare)],
      ["", "service in-process", ...latencyCells(side.service), storageReadsCell(side.storage.service), gcCell(side.gc.service)],
    ];
    out.push(
      table(
        ["operation", "path", "p50", "p90", "p99", "p99.9", "pg reads/call", "GC pauses meanwhile in the answering process"],
        [...rows("messages:history (50)", history.history), ...rows("conversations:sync (50)", history.list)],
      ),
    );
    out.push(
      "pg reads/call: 8 kB blocks Postgres read from outside its shared buffers per call (page cache or disk), and how many the disk supplied (readahead included).",
      `Postgres's shared buffers: ${mib(history.memory.sharedBuffersBytes)}; the messages table with its indexes and TOAST: ${mib(history.memory.messagesBytes)}.`,
      "In the server (frame decoded → ack written), the same calls:",
      inServerLine("messages:history", history.history),
      inServerLine("conversations:sync", history.list),
    );
    out.push("EXPLAIN (ANALYZE, BUFFERS) of the SQL the services issue:");
    out.push(
      table(
        ["operation", "exec ms", "indexes", "seq scans", "sorts", "buffers hit/read"],
        history.plans.map((plan) => [plan.operation, f(plan.executionMs, 3), plan.indexesUsed.join(", ") || "-", plan.seqScans, plan.sorts, `${plan.sharedHitBlocks}/${plan.sharedReadBlocks}`]),
      ),
    );
  }
  out.push("", "Bundle:");
  out.push(results.bundle.built ? `chat route ${results.bundle.chatRoute.route}: ${(results.bundle.chatRoute.gzipBytes / 1000).toFixed(1)} kB gzip first-load JS (${results.bundle.chatRoute.files} chunks, build of ${results.bundle.builtAt})` : results.bundle.message);
  const checker = results.checker;
  if (checker.phases === 0) out.push("", "Checker: no send phases in this run, nothing to check");
  else out.push("", `Checker over ${checker.phases} phases: ${checker.ok ? "OK" : "FAILED"} — lost ${checker.lost}, duplicated ${checker.duplicated}, reordered ${checker.reordered}, undelivered ${checker.undelivered}, seq gaps ${checker.seqGaps}, phantom ${checker.phantom}`);
  out.push("", "Targets:");
  out.push(
    table(
      ["target", "goal", "measured", "met", "limits in this run"],
      results.targets.map((target) => [target.name, target.target, target.measured, target.met === null ? "n/a" : target.met ? "yes" : "NO", target.limits ?? ""]),
    ),
  );
  for (const profile of results.cpuProfiles.filter((each) => each.file.includes("-app"))) {
    out.push("", `CPU profile ${profile.file}: busy ${profile.busyPercent}% of samples; shares below are of the busy samples`);
    const rows = Math.max(profile.top.length, profile.byArea.length);
    out.push(
      table(
        ["self time: function", "self %", "inclusive: package / app dir", "incl %"],
        Array.from({ length: rows }, (_, index) => [
          profile.top[index]?.fn ?? "",
          profile.top[index] ? f(profile.top[index].selfPercent, 1) : "",
          profile.byArea[index]?.area ?? "",
          profile.byArea[index] ? f(profile.byArea[index].inclusivePercent, 1) : "",
        ]),
      ),
    );
  }
  for (const note of results.notes) out.push(`note: ${note}`);
  return out.join("\n");
}
