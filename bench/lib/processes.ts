import { readdirSync, readFileSync } from "node:fs";

/** The pids of this machine's processes whose command starts with one of `names` (empty where /proc is not). */
export function pidsByCommand(names: string[]): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (names.some((name) => command.startsWith(name))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export const POSTGRES_COMMANDS = ["postgres", "postmaster"];
