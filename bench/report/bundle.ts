import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface RouteBundle {
  route: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export type BundleResult =
  | { built: true; builtAt: string; chatRoute: RouteBundle; routes: RouteBundle[] }
  | { built: false; message: string };

/** The routes that render the chat: the shell and an open conversation. The larger one is "the chat route". */
const CHAT_ROUTES = ["/", "/c/[id]"];

/**
 * First-load JS per route, from the last `next build`: the chunk list Next.js records in
 * .next/diagnostics/route-bundle-stats.json, each chunk gzipped here (level 9) and summed.
 */
export function readBundleSizes(root: string): BundleResult {
  const statsFile = path.join(root, ".next/diagnostics/route-bundle-stats.json");
  if (!existsSync(statsFile)) return { built: false, message: "run npm run build first" };
  const stats = JSON.parse(readFileSync(statsFile, "utf8")) as Array<{ route: string; firstLoadChunkPaths: string[] }>;
  const routes = stats.map(({ route, firstLoadChunkPaths }) => {
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const chunk of firstLoadChunkPaths) {
      const file = path.join(root, chunk);
      if (!existsSync(file)) return null;
      const content = readFileSync(file);
      rawBytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    return { route, files: firstLoadChunkPaths.length, rawBytes, gzipBytes };
  });
  if (routes.some((route) => route === null)) return { built: false, message: "the .next build is incomplete or stale: run npm run build first" };
  const complete = routes as RouteBundle[];
  const chat = complete.filter((route) => CHAT_ROUTES.includes(route.route)).sort((a, b) => b.gzipBytes - a.gzipBytes)[0];
  if (!chat) return { built: false, message: "no chat route in the build: run npm run build first" };
  return { built: true, builtAt: statSync(statsFile).mtime.toISOString(), chatRoute: chat, routes: complete };
}
