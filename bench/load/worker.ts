// A load generator process: holds sockets for any number of fleets (one per server), sends on command
// and records what its sockets receive. Forked by bench/run.ts; several run side by side.
import { announceReady, serveRequests } from "../lib/child";
import { Fleet } from "./fleet";
import type { ConnectRequest, GroupRequest, LoadRequest, RpcRequest } from "./protocol";
import { runGroupSends, runLoad, runRpc } from "./senders";

const workerId = process.env.BENCH_WORKER_ID ?? "0";
const fleets = new Map<string, Fleet>();

function fleet(name: unknown): Fleet {
  const found = fleets.get(name as string);
  if (!found) throw new Error(`no fleet ${String(name)}`);
  return found;
}

serveRequests({
  connect: (message) => {
    const request = message as unknown as ConnectRequest;
    const target = fleets.get(request.fleet) ?? new Fleet();
    fleets.set(request.fleet, target);
    return target.connect(request);
  },
  phase: ({ fleet: name, phase, from, to }) => fleet(name).startPhase(phase as string, { from: (from as number | undefined) ?? 0, to: (to as number | undefined) ?? Infinity }),
  load: (message) => {
    const request = message as unknown as LoadRequest;
    return runLoad(fleet(request.fleet), workerId, request);
  },
  group: (message) => {
    const request = message as unknown as GroupRequest;
    return runGroupSends(fleet(request.fleet), workerId, request);
  },
  rpc: (message) => {
    const request = message as unknown as RpcRequest;
    return runRpc(fleet(request.fleet), request);
  },
  progress: ({ fleet: name }) => ({ received: fleet(name).log.received, stray: fleet(name).log.stray }),
  collect: ({ fleet: name }) => fleet(name).collect(),
  disconnect: ({ fleet: name }) => {
    fleets.get(name as string)?.disconnect();
    fleets.delete(name as string);
  },
  cpu: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  stop: () => {
    for (const each of fleets.values()) each.disconnect();
    process.exit(0);
  },
});
announceReady();
