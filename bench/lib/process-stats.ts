export interface ProcessStats {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  cpuMicros: number;
  sockets: number;
  /** What one connected socket carries: event listeners and rooms (averaged over the sockets). */
  listenersPerSocket: number;
  roomsPerSocket: number;
}

interface InspectableNamespace {
  sockets: Map<string, { eventNames(): Array<string | symbol>; listenerCount(event: string | symbol): number; rooms: Set<string> }>;
}

/** Memory (after a full collection when asked and --expose-gc is on) and CPU time used so far. */
export function processStats({ gc, sockets, namespace }: { gc: boolean; sockets: number; namespace: InspectableNamespace }): ProcessStats {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) {
    collect();
    collect();
  }
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  let listeners = 0;
  let rooms = 0;
  for (const socket of namespace.sockets.values()) {
    listeners += socket.eventNames().reduce((sum, event) => sum + socket.listenerCount(event), 0);
    rooms += socket.rooms.size;
  }
  const count = namespace.sockets.size || 1;
  return {
    listenersPerSocket: Math.round((listeners / count) * 10) / 10,
    roomsPerSocket: Math.round((rooms / count) * 10) / 10,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    cpuMicros: cpu.user + cpu.system,
    sockets,
  };
}
