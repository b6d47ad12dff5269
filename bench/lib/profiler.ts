import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * On-demand CPU profiling of a server's main thread, started and stopped by the orchestrator around one
 * phase, so the profile holds that phase only (`node --cpu-prof` would cover start-up and idle time too).
 */
export class PhaseProfiler {
  private session: Session | null = null;

  async start() {
    if (this.session) return;
    this.session = new Session();
    this.session.connect();
    await this.session.post("Profiler.enable");
    await this.session.post("Profiler.setSamplingInterval", { interval: 500 });
    await this.session.post("Profiler.start");
  }

  async stop(file: string) {
    const session = this.session;
    if (!session) return;
    this.session = null;
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
