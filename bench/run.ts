// npm run bench [-- --quick] [-- --cpu-prof] [-- --only=1,2,3,4,5,6] [-- --out=DIR]
// Creates a fresh database, seeds it, starts the servers and load generators, runs the scenarios, checks
// every acknowledged message, prints the report and writes JSON + SVG. See docs/PERFORMANCE.md.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import type { CheckResult } from "./checker";
import { benchConfig } from "./config";
import type { BenchContext } from "./context";
import { connect, createBenchDatabase, type BenchDatabase } from "./db/database";
import { killAllChildren } from "./lib/child";
import { newRunNonce } from "./lib/ids";
import { readBundleSizes } from "./report/bundle";
import { latencyChart } from "./report/chart";
import { compareWithPrevious } from "./report/compare";
import { profilesIn, summarizeProfile } from "./report/cpu-profile";
import type { BenchResults } from "./report/results";
import { formatReport } from "./report/table";
import { evaluateTargets } from "./report/targets";
import { connectChatFleets, warmUpChat } from "./scenarios/chat-fleets";
import { runCrossInstance } from "./scenarios/cross-instance";
import { runGroup } from "./scenarios/group";
import { runHistory } from "./scenarios/history";
import { runIdleMemory } from "./scenarios/idle-memory";
import { runOneToOne } from "./scenarios/one-to-one";
import type { PhaseSummary } from "./scenarios/summary";
import { runThroughput } from "./scenarios/throughput";
import { seedAll } from "./seed-all";
import { SERVER_V8_OPTIONS, startAppServer, startBareRelay } from "./servers";
import { LoadWorker } from "./workers";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv: string[]) {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
  const only = value("only")?.split(",").map(Number);
  return {
    quick: argv.includes("--quick"),
    cpuProf: argv.includes("--cpu-prof"),
    only: (scenario: number) => !only || only.includes(scenario),
    outDir: path.resolve(value("out") ?? path.join(root, "bench/results")),
  };
}

async function machineInfo(sql: ReturnType<typeof connect>, redisUrl: string) {
  const [{ version }] = (await sql.unsafe("SELECT version()")) as unknown as [{ version: string }];
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const info = await redis.info("server");
  await redis.close();
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    serverV8Options: SERVER_V8_OPTIONS,
    postgres: version.split(" on ")[0]!,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown",
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** Over every phase that stored messages: the app's, and the send service's in-process (scenario 1). */
function checkerVerdict(phases: Array<{ check: CheckResult }>): BenchResults["checker"] {
  const sum = (pick: (phase: { check: CheckResult }) => number) => phases.reduce((total, phase) => total + pick(phase), 0);
  return {
    // A subset run without send phases (--only=3,6) has nothing to check, which is not a failure.
    ok: phases.every((phase) => phase.check.ok),
    phases: phases.length,
    lost: sum((phase) => phase.check.lost),
    duplicated: sum((phase) => phase.check.duplicated),
    reordered: sum((phase) => phase.check.reordered),
    undelivered: sum((phase) => phase.check.undelivered),
    seqGaps: sum((phase) => phase.check.seqGaps),
    phantom: sum((phase) => phase.check.phantom),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = benchConfig(args.quick);
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  const log = (message: string) => console.log(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(1).padStart(6)} s] ${message}`);
  const nonce = newRunNonce();
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const cpuProfileDir = args.cpuProf ? path.join(args.outDir, `profiles-${stamp}`) : undefined;
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
  const notes: string[] = [];
  let database: BenchDatabase | null = null;
  let sql: ReturnType<typeof connect> | null = null;
  const workers: LoadWorker[] = [];
  const interrupted = () => {
    killAllChildren();
    void database?.drop().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  try {
    log(`${args.quick ? "quick" : "full"} run; creating a fresh database`);
    database = await createBenchDatabase(nonce);
    sql = connect(database.url, 4);
    const machine = await machineInfo(sql, redisUrl);
    const seeded = await seedAll(database.url, nonce, config);
    log(`seeded in ${seeded.seconds.toFixed(1)} s (${seeded.historyRows.toLocaleString("en")} history messages)`);
    for (let index = 0; index < config.workers; index++) workers.push(await LoadWorker.start(index));
    const context: BenchContext = { config, nonce, databaseUrl: database.url, redisUrl, authSecret: randomBytes(32).toString("base64url"), sql, workers, cpuProfileDir, log };
    const scenarios: BenchResults["scenarios"] = {};
    const storingPhases: Array<{ check: CheckResult }> = [];
    const allPhases: PhaseSummary[] = [];

    if (args.only(1) || args.only(2) || args.only(4) || args.only(6)) {
      const app = await startAppServer({ name: "app", adapter: "redis", redisUrl, databaseUrl: database.url, authSecret: context.authSecret });
      const bare = await startBareRelay({ name: "bare", adapter: "memory", redisUrl });
      try {
        if (args.only(1) || args.only(2) || args.only(4)) {
          const fleets = await connectChatFleets(context, { app, bare });
          await warmUpChat(context, fleets);
          if (args.only(1)) {
            scenarios.oneToOne = await runOneToOne(context, fleets, { app, bare });
            storingPhases.push(...scenarios.oneToOne.points.flatMap((point) => [point.app, point.service]));
            allPhases.push(...scenarios.oneToOne.points.flatMap((point) => [point.app, point.bare]));
          }
          if (args.only(4)) {
            scenarios.group = await runGroup(context, fleets, { app, bare });
            storingPhases.push(scenarios.group.app.phase);
            allPhases.push(scenarios.group.app.phase, scenarios.group.bare.phase);
          }
          if (args.only(2)) {
            scenarios.throughput = await runThroughput(context, fleets, { app, bare });
            storingPhases.push(scenarios.throughput.app);
            allPhases.push(scenarios.throughput.app, scenarios.throughput.bare);
          }
          await Promise.all(workers.flatMap((worker) => [worker.disconnect("app"), worker.disconnect("bare")]));
        }
        if (args.only(6)) scenarios.history = await runHistory(context, seeded.history, { app, bare });
      } finally {
        await Promise.all([app.stop(), bare.stop()]);
      }
    }
    if (args.only(5)) {
      scenarios.crossInstance = await runCrossInstance(context, { sustainedRate: scenarios.throughput?.appRate });
      storingPhases.push(scenarios.crossInstance.app.single, scenarios.crossInstance.app.cross);
      allPhases.push(scenarios.crossInstance.app.single, scenarios.crossInstance.app.cross, scenarios.crossInstance.bare.single, scenarios.crossInstance.bare.cross);
    }
    if (args.only(3)) scenarios.idleMemory = await runIdleMemory(context);

    const bundle = readBundleSizes(root);
    if (config.quick) notes.push("quick mode: small counts and short durations; figures are not comparable with the targets");
    const busiest = Math.max(0, ...allPhases.map((phase) => phase.cpu?.other ?? 0));
    if (busiest > 15) notes.push(`other processes on this machine used up to ${busiest}% of all cores during a phase: figures are disturbed, rerun on a quiet machine`);
    const cpuProfiles = cpuProfileDir ? profilesIn(cpuProfileDir).map((file) => ({ ...summarizeProfile(file), file: path.relative(root, file) })) : [];
    const finished = new Date();
    const partial: Omit<BenchResults, "targets"> = {
      version: 1,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationSeconds: (finished.getTime() - started.getTime()) / 1000,
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
      quick: config.quick,
      machine,
      seeding: { seconds: seeded.seconds, historyMessages: seeded.historyRows },
      scenarios,
      bundle,
      checker: checkerVerdict(storingPhases),
      cpuProfiles,
      notes,
    };
    const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };

    mkdirSync(args.outDir, { recursive: true });
    const latestFile = path.join(args.outDir, "latest.json");
    const previous = existsSync(latestFile) ? (JSON.parse(readFileSync(latestFile, "utf8")) as BenchResults) : null;
    const json = JSON.stringify(results, null, 2);
    writeFileSync(path.join(args.outDir, `${stamp}.json`), json);
    writeFileSync(latestFile, json);
    const svg = latencyChart(results);
    writeFileSync(path.join(args.outDir, `${stamp}.svg`), svg);
    writeFileSync(path.join(args.outDir, "latest.svg"), svg);

    console.log(`\n${formatReport(results)}\n`);
    if (previous?.version === 1) console.log(`${compareWithPrevious(results, previous)}\n`);
    console.log(`Results: ${path.relative(process.cwd(), path.join(args.outDir, `${stamp}.json`))} (and latest.json, latest.svg)`);
    if (!results.checker.ok) process.exitCode = 1;
  } finally {
    await Promise.allSettled(workers.map((worker) => worker.stop()));
    await sql?.end({ timeout: 5 }).catch(() => undefined);
    await database?.drop().catch((error: unknown) => console.error("could not drop the bench database", error));
    killAllChildren();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  killAllChildren();
  process.exit(1);
});
