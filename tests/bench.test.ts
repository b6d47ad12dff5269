import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { pairs, staggerTurns } from "../bench/layout";
import postgres from "postgres";
import { Server } from "socket.io";
import { io as ioClient } from "socket.io-client";
import { GcPauseTracker } from "../bench/lib/gc-pauses";
import { nowMs } from "../bench/lib/clock";
import { EventLoopBusyMeter, EventLoopDelayMeter } from "../bench/lib/loop-busy";
import { ResidenceMeter } from "../bench/lib/residence";
import { StorageReadMeter } from "../bench/lib/storage-reads";
import { serveV8Options } from "../bench/lib/v8-options";
import type { Sender } from "../bench/load/protocol";
import { workerOfPairMember } from "../bench/scenarios/chat-fleets";
import type { BenchResults } from "../bench/report/results";

// Runs the benchmark's --quick mode once, as a user would (npm run bench -- --quick), on the real
// Postgres and Redis: it must complete, every scenario must produce figures, and the checker must find
// every acknowledged message stored and delivered exactly once, in order. No timing is asserted here:
// performance is judged by the full benchmark (docs/PERFORMANCE.md), not by the test suite.

const outDir = mkdtempSync(path.join(tmpdir(), "bench-test-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function runQuickBench(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts", "--quick", `--out=${outDir}`], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

const counted = (summary: { count: number; p50: number; p99: number }) => summary.count > 0 && Number.isFinite(summary.p50) && Number.isFinite(summary.p99);

describe("npm run bench -- --quick", () => {
  it("completes every scenario and its checker finds no lost, duplicated or reordered message", { timeout: 600_000 }, async () => {
    const { code, output } = await runQuickBench();
    expect(code, output).toBe(0);
    const results = JSON.parse(readFileSync(path.join(outDir, "latest.json"), "utf8")) as BenchResults;
    expect(existsSync(path.join(outDir, "latest.svg"))).toBe(true);

    // The servers ran with the production server's V8 options, as `npm run serve` gives them, and the run records them.
    expect(results.machine.serverV8Options).toEqual(serveV8Options());
    expect(output).toContain(`servers: ${results.machine.serverV8Options.join(" ")}`);

    expect(results.checker).toMatchObject({ ok: true, lost: 0, duplicated: 0, reordered: 0, undelivered: 0, seqGaps: 0, phantom: 0 });
    expect(results.checker.phases).toBeGreaterThan(0);
    const { oneToOne, throughput, idleMemory, group, crossInstance, history } = results.scenarios;

    expect(oneToOne?.points.length).toBeGreaterThanOrEqual(2);
    for (const point of oneToOne!.points) {
      for (const side of ["app", "bare", "pgbench", "service"] as const) expect(counted(point[side].latency), `${side} latency at ${point.rate}/s`).toBe(true);
      expect(point.app.check.checkedDatabase).toBe(true);
      expect(point.app.check.persisted).toBe(point.app.acked);
      expect(point.bare.check.ok).toBe(true);
      // The send service in-process stored every send it made, each under the seq it was answered with.
      expect(point.service).toMatchObject({ failed: 0, errors: {} });
      expect(point.service.check).toMatchObject({ ok: true, checkedDatabase: true, lost: 0, seqGaps: 0 });
      expect(point.service.check.persisted).toBe(point.service.sent);
      expect(point.service.storedRate).toBeGreaterThan(0);
      // And what each server measured of itself during its phase: what stalled its thread, and how long
      // the sends of the measured window (not the warm-up's) stayed inside it.
      for (const side of ["app", "bare"] as const) {
        const window = point.inServers[side];
        expect(window.loopDelay.p99Ms).toBeGreaterThanOrEqual(0);
        expect(window.loopDelay.maxMs).toBeGreaterThanOrEqual(window.loopDelay.p99Ms);
        expect(Number.isInteger(window.gc.minor.count)).toBe(true);
        // As many as were acknowledged in the measured window (the warm-up would add a third in quick mode).
        const ackedInWindow = (point[side].ackedRate * point[side].measureMs) / 1000;
        expect(window.residence.ack.count).toBeGreaterThan(ackedInWindow * 0.85);
        expect(window.residence.ack.count).toBeLessThan(ackedInWindow * 1.15);
        expect(window.residence.ack.max).toBeGreaterThanOrEqual(window.residence.ack.p99);
        expect(point[side].cpu!.waitedForCore).toMatchObject({ servers: expect.any(Number), postgres: expect.any(Number) });
      }
      // Only the app stores: its sends went to Postgres in batches, never more batches than sends.
      expect(point.inServers.bare.residence.store).toBeNull();
      const batches = point.inServers.app.residence.store!;
      expect(batches.count).toBeGreaterThan(0);
      expect(batches.count).toBeLessThanOrEqual(point.inServers.app.residence.ack.count);
    }
    expect(output).toMatch(/app scavenges: \d+, .*; loop delay p99 [\d.]+, max [\d.]+ ms  \|  bare relay/);
    expect(output).toMatch(/app in the server p50 [\d.]+, p99 [\d.]+, max [\d.]+; batches in Postgres p50 [\d.]+, p99 [\d.]+, max [\d.]+ \([\d,]+\); waited for a core \(ms\/s\): srv \d+ gen \d+ pg \d+ redis \d+/);
    expect(output).toMatch(/bare relay in the server p50 [\d.]+, p99 [\d.]+, max [\d.]+; waited for a core/);

    expect(throughput!.appRate).toBeGreaterThan(0);
    expect(throughput!.bareRate).toBeGreaterThan(0);
    expect(throughput!.pgbench.messagesPerSec).toBeGreaterThan(0);
    expect(throughput!.pgbenchBatched.messagesPerSec).toBeGreaterThan(0);
    expect(throughput!.app.check).toMatchObject({ ok: true, lost: 0 });
    expect(throughput!.app.check.persisted).toBe(throughput!.app.acked);
    // Every load phase reports how busy the server's event loop (its one JavaScript thread) was.
    for (const phase of [...oneToOne!.points.flatMap((point) => [point.app, point.bare]), throughput!.app, throughput!.bare]) {
      expect(phase.cpu!.serverLoop).toBeGreaterThan(0);
      expect(phase.cpu!.serverLoop).toBeLessThanOrEqual(100);
    }
    expect(output).toMatch(/srv [\d.]+% \(loop [\d.]+%\) gen/);

    for (const side of [idleMemory!.app, idleMemory!.bare, idleMemory!.bareWithRedis]) {
      expect(side.sockets).toBe(idleMemory!.sockets);
      expect(side.heapPerSocket).toBeGreaterThan(0);
    }

    for (const side of [group!.app, group!.bare]) {
      expect(side.incomplete).toBe(0);
      expect(side.lastRecipient.count).toBe(group!.sends);
      expect(side.phase.check.ok).toBe(true);
    }

    for (const phase of [crossInstance!.app.single, crossInstance!.app.cross, crossInstance!.bare.single, crossInstance!.bare.cross]) {
      expect(counted(phase.latency)).toBe(true);
      expect(phase.check.ok).toBe(true);
    }

    expect(history!.history.app.count).toBe(history!.calls);
    expect(history!.list.app.count).toBe(history!.calls);
    expect(history!.history.errors).toEqual({});
    expect(history!.list.errors).toEqual({});
    expect(history!.plans.map((plan) => plan.operation)).toEqual(expect.arrayContaining(["messages:history", "conversations:sync"]));
    for (const plan of history!.plans) expect(plan.plan).toContain("Execution Time");
    // Each read path reports the GC pauses of the process that answered it, during exactly its calls.
    for (const side of [history!.history, history!.list]) {
      for (const pauses of [side.gc.app, side.gc.bare, side.gc.service]) {
        for (const stats of [pauses.minor, pauses.major]) {
          expect(Number.isInteger(stats.count) && stats.count >= 0).toBe(true);
          expect(stats.maxMs).toBeLessThanOrEqual(stats.totalMs);
          if (stats.count === 0) expect(stats.totalMs).toBe(0);
        }
      }
    }
    expect(output).toContain("GC pauses meanwhile in the answering process");
    // How long each measured call stayed in the server that answered it.
    for (const side of [history!.history, history!.list]) {
      expect(side.inServer.app.count).toBe(history!.calls);
      expect(side.inServer.bare.count).toBe(history!.calls);
    }
    expect(output).toMatch(/messages:history  app p50 [\d.]+, p99 [\d.]+, max [\d.]+  \|  bare relay p50/);
    // Beside them, the buffer pool and what the reads draw on.
    expect(history!.memory.sharedBuffersBytes).toBeGreaterThan(0);
    expect(history!.memory.messagesBytes).toBeGreaterThan(0);
    expect(output).toMatch(/Postgres's shared buffers: [\d,]+ MiB; the messages table with its indexes and TOAST: [\d,]+ MiB\./);
    // And what Postgres read from outside its shared buffers during them (the bench's Postgres is local here).
    for (const side of [history!.history, history!.list]) {
      for (const reads of [side.storage.app, side.storage.service]) {
        expect(reads!.blocksPerCall).toBeGreaterThanOrEqual(0);
        expect(reads!.diskBlocksPerCall).toBeGreaterThanOrEqual(0);
      }
    }

    expect(results.targets.length).toBeGreaterThan(5);
    // A latency or throughput target is shown beside the limits measured in the same run.
    const limitsOf = (name: string) => results.targets.find((target) => target.name.startsWith(name))?.limits;
    expect(limitsOf("1:1 at 2,000/s, p99")).toMatch(/^bare [\d.]+ ms, pgbench [\d.]+ ms, service in-process [\d.]+ ms$/);
    expect(limitsOf("1:1 at 2,000/s, p99 vs bare relay")).toMatch(/^service in-process [\d.]+ ms$/);
    expect(limitsOf("Sustained")).toMatch(/^bare [\d,]+\/s, pgbench [\d,]+\/s \(10\/tx [\d,]+\/s\)$/);
    expect(limitsOf("History page p99")).toMatch(/^bare [\d.]+ ms, service in-process [\d.]+ ms, pg reads\/call [\d.]+ \(disk [\d.]+\)$/);
  });
});

describe("the GC pause tracker", () => {
  it("counts its process's collections, one window per take", async () => {
    const tracker = new GcPauseTracker();
    try {
      tracker.take();
      // Far more short-lived garbage than the young generation holds: scavenges must follow.
      let kept = 0;
      for (let i = 0; i < 200_000; i++) kept += new Array(64).fill(i).length;
      expect(kept).toBe(200_000 * 64);
      const seen = { minor: 0, totalMs: 0 };
      // GC entries reach observers asynchronously: wait for them, then each window starts empty.
      await vi.waitFor(() => {
        const window = tracker.take();
        seen.minor += window.minor.count;
        seen.totalMs += window.minor.totalMs;
        expect(window.minor.maxMs).toBeLessThanOrEqual(window.minor.totalMs);
        expect(seen.minor).toBeGreaterThan(0);
      });
      expect(seen.totalMs).toBeGreaterThan(0);
    } finally {
      tracker.stop();
    }
  });
});

describe("the event-loop busy meter", () => {
  it("tells a loop that runs code from one that waits, one window per take", async () => {
    const meter = new EventLoopBusyMeter();
    meter.take();
    const spinUntil = performance.now() + 200;
    let spins = 0;
    while (performance.now() < spinUntil) spins += 1;
    expect(spins).toBeGreaterThan(0);
    expect(meter.take()).toBeGreaterThan(0.9);
    // The workload measured here is waiting: the loop sits idle until the timer fires.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(meter.take()).toBeLessThan(0.5);
  });
});

describe("the event-loop delay meter", () => {
  it("sees a stall of the loop as delay, one window per take", async () => {
    const meter = new EventLoopDelayMeter();
    meter.take();
    const spinUntil = performance.now() + 200;
    while (performance.now() < spinUntil);
    // The sampling timer, overdue since the spin, runs in the next timers phase before this later timer,
    // and records how late it was.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(meter.take().maxMs).toBeGreaterThan(150);
    expect(meter.take().maxMs).toBeLessThan(150);
  });
});

describe("the residence meter", () => {
  it("times an event from its frame to its acknowledgement, in the server", { timeout: 30_000 }, async () => {
    const meter = new ResidenceMeter();
    const httpServer = createServer();
    const io = new Server(httpServer);
    io.on("connection", (socket) => {
      socket.on("slow", (ack: (answer: string) => void) => void setTimeout(() => ack("done"), 120));
      socket.on("fast", (ack: (answer: string) => void) => ack("done"));
    });
    await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
    const client = ioClient(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, { transports: ["websocket"] });
    try {
      meter.take();
      expect(await client.emitWithAck("slow")).toBe("done");
      const slow = meter.take();
      expect(slow.ack.count).toBe(1);
      expect(slow.ack.max).toBeGreaterThanOrEqual(115);
      expect(slow.store).toBeNull();
      expect(await client.emitWithAck("fast")).toBe("done");
      const fast = meter.take();
      expect(fast.ack.count).toBe(1);
      expect(fast.ack.max).toBeLessThan(100);
      // Within a measured window only what entered the server inside it counts.
      meter.measureBetween(nowMs() - 60_000, nowMs() - 30_000);
      expect(await client.emitWithAck("fast")).toBe("done");
      expect(meter.take().ack.count).toBe(0);
      meter.measureBetween(nowMs() - 1_000, nowMs() + 30_000);
      expect(await client.emitWithAck("fast")).toBe("done");
      expect(meter.take().ack.count).toBe(1);
    } finally {
      client.close();
      await io.close();
    }
  });
});

describe("the storage read meter", () => {
  it("counts the blocks Postgres reads from outside its buffers", { timeout: 60_000 }, async () => {
    const sql = postgres(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test", { max: 1, onnotice: () => {} });
    try {
      // About 2,700 blocks of 8 kB, three times what a session's temporary buffers (8 MB) hold, so a
      // scan from the start must read most of them back.
      await sql`create temporary table filler as select g, repeat('x', 500) as pad from generate_series(1, 40000) g`;
      const [{ blocks }] = await sql<[{ blocks: number }]>`select pg_relation_size('filler') / 8192 as blocks`;
      const meter = new StorageReadMeter();
      meter.begin();
      await sql`select count(*) from filler`;
      const reads = meter.end(1);
      expect(reads!.blocksPerCall).toBeGreaterThan(Number(blocks) - 1024);
      expect(reads!.diskBlocksPerCall).toBeGreaterThanOrEqual(0);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

describe("the open-loop turns", () => {
  it("never have both members of a conversation send at the same moment", () => {
    // Scenarios 1 and 2: the members of a pair are on different workers, each worker sends to its senders in turn.
    const sendersByWorker: Sender[][] = [[], []];
    pairs("turns", 500, 1, 1).forEach((pair, index) => {
      for (const side of [0, 1] as const) {
        sendersByWorker[workerOfPairMember(index, side, 2)]!.push({ userId: side === 0 ? pair.a : pair.b, conversationId: pair.conversationId });
      }
    });
    const turns = staggerTurns(sendersByWorker);
    expect(turns.map((senders) => senders.length)).toEqual([500, 500]);
    expect(new Set(turns.flat().map((sender) => sender.userId)).size).toBe(1_000);
    // The workers start together at the same rate: turn t of one comes with turn t of the other.
    const together = turns[0]!.filter((sender, turn) => sender.conversationId === turns[1]![turn]!.conversationId);
    expect(together).toEqual([]);
  });
});
