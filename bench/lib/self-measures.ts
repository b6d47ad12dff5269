import type { RequestHandler } from "./child";
import { GcPauseTracker } from "./gc-pauses";
import { EventLoopBusyMeter, EventLoopDelayMeter } from "./loop-busy";
import { PhaseProfiler } from "./profiler";
import type { ResidenceMeter } from "./residence";

/**
 * What every benchmarked server measures of itself (CPU profile, GC pauses, event-loop busy share and
 * delay, time work stays inside it), started now and served to the orchestrator as these requests.
 */
export function selfMeasureRequests(residence: ResidenceMeter): Record<string, RequestHandler> {
  const profiler = new PhaseProfiler();
  const gcPauses = new GcPauseTracker();
  const loopBusy = new EventLoopBusyMeter();
  const loopDelay = new EventLoopDelayMeter();
  return {
    "profile-start": () => profiler.start(),
    "profile-stop": ({ file }) => profiler.stop(file as string),
    "gc-pauses": () => gcPauses.take(),
    "loop-busy": () => loopBusy.take(),
    "loop-delay": () => loopDelay.take(),
    residence: () => residence.take(),
    "measure-between": ({ from, to }) => residence.measureBetween(from as number, to as number),
  };
}
