import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;

/**
 * The production server's environment for e2e runs. With DATABASE_URL set (CI) it runs on that real
 * Postgres; otherwise on a fresh PGlite data directory.
 */
export function serverEnv({ port, dataDir, pglite = false }: { port: number; dataDir: string; pglite?: boolean }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return {
    ...env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    DATA_DIR: dataDir,
    AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
    ...(pglite ? { DATABASE_URL: "" } : {}),
  };
}

/** A production server the test owns (for restarts): start, wait until healthy, stop with SIGTERM. */
export class OwnedServer {
  private process: ChildProcess | null = null;
  private output = "";

  /** Starts from an empty data directory. */
  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    if (env.DATA_DIR) rmSync(env.DATA_DIR, { recursive: true, force: true });
  }

  get baseURL() {
    return `http://localhost:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
      env: this.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process = child;
    child.stdout.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${this.output}`);
      const healthy = await fetch(`${this.baseURL}/api/health`).then((response) => response.ok, () => false);
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`server did not become healthy:\n${this.output}`);
  }

  /** Sends SIGTERM and resolves with the exit code once the process has shut down. */
  async stop(): Promise<number | null> {
    const child = this.process;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    this.process = null;
    return exited;
  }

  get log() {
    return this.output;
  }
}
