import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "redis";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Resolves once `probe` succeeds, polling until the deadline. */
export async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function exited(child: ChildProcess) {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stop(child: ChildProcess | null, signal: NodeJS.Signals) {
  if (!child || exited(child)) return;
  const done = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await done;
}

/** A private redis-server on its own port, which a test may kill and restart. */
export class RedisServer {
  private process: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start() {
    this.process = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await until(async () => {
      const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
      client.on("error", () => undefined);
      await client.connect();
      const pong = await client.ping();
      await client.close();
      return pong === "PONG";
    }, `redis on ${this.port}`);
  }

  async kill() {
    await stop(this.process, "SIGKILL");
  }
}

/** One chat instance (tests/helpers/gateway-process.ts) as a child process. */
export class GatewayProcess {
  private process: ChildProcess | null = null;
  output = "";
  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get running() {
    return !!this.process && !exited(this.process);
  }

  async start() {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/gateway-process.ts"], {
      env: { ...process.env, ...this.env, PORT: String(this.port) } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process = child;
    child.stdout.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    await until(async () => {
      if (exited(child)) throw new Error(`instance exited:\n${this.output}`);
      return this.output.includes(`ready ${this.port}`);
    }, `instance on ${this.port}`);
  }

  async kill(signal: NodeJS.Signals = "SIGKILL") {
    await stop(this.process, signal);
  }
}

/** nginx running deploy/nginx.conf, with its upstreams and port rewritten for the test. */
export class Nginx {
  private process: ChildProcess | null = null;
  private readonly prefix = mkdtempSync(path.join(tmpdir(), "chat-nginx-"));
  output = "";
  constructor(
    readonly port: number,
    private readonly upstreamPorts: number[],
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const template = readFileSync(path.join(process.cwd(), "deploy/nginx.conf"), "utf8");
    const servers = this.upstreamPorts.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=2s;`).join("\n");
    const config = template
      .replace(/(upstream chat \{[^}]*?ip_hash;\n)[^}]*\}/s, `$1${servers}\n  }`)
      .replace(/listen \d+;/, `listen 127.0.0.1:${this.port};`);
    const file = path.join(this.prefix, "nginx.conf");
    writeFileSync(file, config);
    const child = spawn("nginx", ["-p", this.prefix, "-c", file, "-g", `daemon off; pid ${this.prefix}/nginx.pid; error_log stderr warn;`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process = child;
    child.stderr.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    await until(async () => {
      if (exited(child)) throw new Error(`nginx exited:\n${this.output}`);
      return (await fetch(`${this.url}/socket.io/?EIO=4&transport=polling`).then((response) => response.status)) > 0;
    }, "nginx");
  }

  async stop() {
    await stop(this.process, "SIGTERM");
  }
}
