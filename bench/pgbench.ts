import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Histogram, type LatencySummary } from "./lib/histogram";

const sqlDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "sql");

export interface PgbenchResult {
  command: string;
  transactionsPerSec: number;
  messagesPerSec: number;
  failed: number;
  /** Per-transaction latency from pgbench's own log (with --rate: from the scheduled start). */
  latency: LatencySummary;
}

/**
 * Runs pgbench with one of bench/sql's scripts against the bench database. Latencies come from its
 * per-transaction log (-l), so percentiles are computed the same way as the app's.
 */
export async function runPgbench({
  url,
  script,
  variables,
  clients,
  threads = 2,
  seconds,
  rate,
  messagesPerTransaction = 1,
}: {
  url: string;
  script: string;
  variables: Record<string, string | number>;
  clients: number;
  threads?: number;
  seconds: number;
  rate?: number;
  messagesPerTransaction?: number;
}): Promise<PgbenchResult> {
  const logDir = mkdtempSync(path.join(tmpdir(), "bench-pgbench-"));
  const args = [
    "-n",
    "-M",
    "prepared",
    "-f",
    path.join(sqlDir, script),
    ...Object.entries(variables).flatMap(([name, value]) => ["-D", `${name}=${value}`]),
    "-c",
    String(clients),
    "-j",
    String(Math.min(threads, clients)),
    "-T",
    String(seconds),
    ...(rate ? ["-R", String(rate / messagesPerTransaction)] : []),
    "-l",
    `--log-prefix=${path.join(logDir, "pgbench")}`,
    url,
  ];
  const shown = ["pgbench", ...args.slice(0, -1).filter((arg) => !arg.startsWith("--log-prefix")).map((arg) => arg.replace(sqlDir, "bench/sql")), "-l", "<bench database>"].join(" ");
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.env.BENCH_PGBENCH ?? "pgbench", args, { stdio: ["ignore", "pipe", "pipe"], cwd: logDir });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench exited ${code}:\n${text}`))));
    });
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? NaN);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    const latency = new Histogram();
    for (const file of readdirSync(logDir)) {
      for (const line of readFileSync(path.join(logDir, file), "utf8").split("\n")) {
        // client_id transaction_no time script_no time_epoch time_us [schedule_lag]
        const micros = Number(line.split(" ")[2]);
        if (Number.isFinite(micros) && line) latency.recordMicros(micros);
      }
    }
    return { command: shown, transactionsPerSec: tps, messagesPerSec: tps * messagesPerTransaction, failed, latency: latency.summary() };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}
