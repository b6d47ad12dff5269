import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageJsonPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../package.json");

/**
 * The V8 options of the production server: those `npm run serve` gives node (through tsx). The
 * benchmark starts its servers with them, read from the script itself so that the two cannot drift.
 */
export function serveV8Options(): string[] {
  const { scripts } = JSON.parse(readFileSync(packageJsonPath, "utf8")) as { scripts: { serve: string } };
  return scripts.serve.split(/\s+/).filter((word) => word.startsWith("--"));
}
