import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface ProfileSummary {
  file: string;
  /** Share of samples in which the thread was running (not idle). */
  busyPercent: number;
  /** Functions by self time, % of busy samples. */
  top: Array<{ fn: string; selfPercent: number }>;
  /** Packages and app directories by inclusive time (anything on the stack), % of busy samples. */
  byArea: Array<{ area: string; inclusivePercent: number }>;
}

/** node_modules package, node: module, or the app's top two directories (server/services, db/queries…). */
function areaOf(url: string): string {
  if (!url) return "(native)";
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const own = /\/(server|db|lib|bench)\/([^/]+)/.exec(url);
  return own ? `${own[1]}/${own[2]!.replace(/\.ts$/, "")}` : url;
}

const percent = (part: number, whole: number) => (whole ? Math.round((1000 * part) / whole) / 10 : 0);

/** Reads a V8 .cpuprofile (the inspector's Profiler.stop output). */
export function summarizeProfile(file: string, limit = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  let total = 0;
  let idle = 0;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idle += hits;
      continue;
    }
    const key = `${functionName || "(anonymous)"} ${url ? `${areaOf(url)}:${lineNumber + 1}` : ""}`.trim();
    self.set(key, (self.get(key) ?? 0) + hits);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const url = byId.get(id)?.callFrame.url;
      if (!url) continue;
      const area = areaOf(url);
      if (seen.has(area)) continue;
      seen.add(area);
      inclusive.set(area, (inclusive.get(area) ?? 0) + hits);
    }
  }
  const busy = total - idle;
  const ranked = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
  return {
    file,
    busyPercent: percent(busy, total),
    top: ranked(self).map(([fn, hits]) => ({ fn, selfPercent: percent(hits, busy) })),
    byArea: ranked(inclusive).map(([area, hits]) => ({ area, inclusivePercent: percent(hits, busy) })),
  };
}

/** The profiles of a --cpu-prof run, the app's first. */
export function profilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".cpuprofile"))
    .sort((a, b) => Number(b.includes("-app")) - Number(a.includes("-app")) || a.localeCompare(b))
    .map((file) => path.join(dir, file));
}
