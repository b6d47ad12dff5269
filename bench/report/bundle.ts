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
  | { built: true; builtAt: string; bundler: "turbopack" | "webpack"; chatRoute: RouteBundle; routes: RouteBundle[] }
  | { built: false; message: string };

/** The routes that render the chat: the shell and an open conversation. The larger one is "the chat route". */
const CHAT_ROUTES = ["/", "/c/[id]"];

/**
 * First-load JS per route, from the last `next build`: every chunk the browser loads before the route can
 * hydrate (the scripts every page loads and the route's own chunks; not the chunks loaded later by
 * import(), nor the legacy-browser polyfills), each gzipped here (level 9) and summed.
 * The app builds with webpack (`npm run build`), whose .next/build-manifest.json lists these chunks per page;
 * a Turbopack build (`next build`) lists them in .next/diagnostics/route-bundle-stats.json instead.
 */
export function readBundleSizes(root: string): BundleResult {
  const dist = path.join(root, ".next");
  // Written at the end of a successful build: without it, what .next holds may be half of a failed one.
  if (!existsSync(path.join(dist, "BUILD_ID"))) return { built: false, message: "run npm run build first" };
  // Next.js marks a Turbopack build with this empty file; a webpack build removes it (and may leave an old stats file).
  const turbopack = existsSync(path.join(dist, "turbopack"));
  const chunkLists = turbopack ? turbopackChunks(root) : webpackChunks(root);
  if (!chunkLists) return { built: false, message: "run npm run build first" };
  const routes = chunkLists.map(({ route, chunks }) => {
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const chunk of chunks) {
      const file = path.join(root, chunk);
      if (!existsSync(file)) return null;
      const content = readFileSync(file);
      rawBytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    return { route, files: chunks.length, rawBytes, gzipBytes };
  });
  if (routes.some((route) => route === null)) return { built: false, message: "the .next build is incomplete or stale: run npm run build first" };
  const complete = routes as RouteBundle[];
  const chat = complete.filter((route) => CHAT_ROUTES.includes(route.route)).sort((a, b) => b.gzipBytes - a.gzipBytes)[0];
  if (!chat) return { built: false, message: "no chat route in the build: run npm run build first" };
  const builtAt = statSync(path.join(dist, "BUILD_ID")).mtime.toISOString();
  return { built: true, builtAt, bundler: turbopack ? "turbopack" : "webpack", chatRoute: chat, routes: complete };
}

interface ChunkList {
  route: string;
  /** Paths relative to the project root. */
  chunks: string[];
}

function turbopackChunks(root: string): ChunkList[] | null {
  const statsFile = path.join(root, ".next/diagnostics/route-bundle-stats.json");
  if (!existsSync(statsFile)) return null;
  const stats = JSON.parse(readFileSync(statsFile, "utf8")) as Array<{ route: string; firstLoadChunkPaths: string[] }>;
  return stats.map(({ route, firstLoadChunkPaths }) => ({ route, chunks: firstLoadChunkPaths }));
}

/**
 * Webpack (`next build --webpack`): build-manifest.json lists each page's scripts, and those of `/_app`,
 * which every page loads first (the runtime, React, the Next.js client, and the app's chunks). A page's
 * first load is the union of the two; the polyfills are listed apart and not counted.
 */
function webpackChunks(root: string): ChunkList[] | null {
  const manifestFile = path.join(root, ".next/build-manifest.json");
  if (!existsSync(manifestFile)) return null;
  const { pages } = JSON.parse(readFileSync(manifestFile, "utf8")) as { pages: Record<string, string[]> };
  const app = pages["/_app"];
  if (!app) return null;
  return Object.entries(pages)
    .filter(([route]) => !route.startsWith("/_"))
    .map(([route, files]) => ({
      route,
      chunks: [...new Set([...app, ...files])].filter((file) => file.endsWith(".js")).map((file) => path.join(".next", file)),
    }));
}
