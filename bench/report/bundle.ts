import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
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
 * hydrate (the root scripts and the chunks of the route's layouts and page; not the chunks loaded later by
 * import(), nor the legacy-browser polyfills), each gzipped here (level 9) and summed.
 * Turbopack builds (`next build`) list these chunks in .next/diagnostics/route-bundle-stats.json. Webpack
 * builds (`next build --webpack`) do not write that file, so the list is made from the build's manifests.
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

interface ClientReferenceManifest {
  clientModules: Record<string, { chunks: string[] }>;
}

/**
 * Webpack: the root scripts (build-manifest.json's rootMainFiles: runtime, React, the Next.js client, main-app)
 * plus the chunks of every client module that the route's own layouts and page reference. Each app page's
 * client reference manifest lists its client modules with their chunks ([id, file, id, file, …], the last
 * one the entry chunk of the segment that uses the module); it may also list modules of other routes, so
 * only modules whose entry chunk belongs to one of the route's segments count. A stylesheet's entry chunk
 * carries no code the browser runs for it (the CSS is linked), so stylesheets are left out.
 */
function webpackChunks(root: string): ChunkList[] | null {
  const dist = path.join(root, ".next");
  const buildManifestFile = path.join(dist, "build-manifest.json");
  const appPathsFile = path.join(dist, "server/app-paths-manifest.json");
  if (!existsSync(buildManifestFile) || !existsSync(appPathsFile)) return null;
  const { rootMainFiles = [] } = JSON.parse(readFileSync(buildManifestFile, "utf8")) as { rootMainFiles?: string[] };
  const appPaths = Object.keys(JSON.parse(readFileSync(appPathsFile, "utf8")) as Record<string, string>).filter((appPath) => appPath.endsWith("/page"));
  const load = createRequire(import.meta.url);
  const lists: ChunkList[] = [];
  for (const appPath of appPaths) {
    const manifestFile = path.join(dist, "server/app", `${appPath}_client-reference-manifest.js`);
    if (!existsSync(manifestFile)) return null;
    const manifest = readClientReferenceManifest(load, manifestFile)?.[appPath];
    if (!manifest) return null;

    // The entry chunks of the route's segments: static/chunks/app/<segment>-<hash>.js for each layout above the page, and the page.
    const folders = appPath.split("/").slice(1, -1);
    const segments = ["/layout", appPath];
    for (let depth = 1; depth <= folders.length; depth++) segments.push(`/${folders.slice(0, depth).join("/")}/layout`);
    const entryPrefixes = segments.map((segment) => `static/chunks/app${segment}-`);
    const chunks = new Set<string>(rootMainFiles);
    for (const [modulePath, { chunks: idsAndFiles }] of Object.entries(manifest.clientModules)) {
      if (modulePath.endsWith(".css")) continue;
      const files = idsAndFiles.filter((_, index) => index % 2 === 1).map((file) => decodeURIComponent(file));
      const entry = files.at(-1);
      if (entry && entryPrefixes.some((prefix) => entry.startsWith(prefix))) for (const file of files) chunks.add(file);
    }
    lists.push({
      route: normalizeAppPath(appPath),
      chunks: [...chunks].filter((file) => file.endsWith(".js")).map((file) => path.relative(root, path.join(dist, file))),
    });
  }
  return lists;
}

/** The manifest is a script that assigns globalThis.__RSC_MANIFEST (and refers to `self`). */
function readClientReferenceManifest(load: NodeJS.Require, file: string): Record<string, ClientReferenceManifest> | undefined {
  const scope = globalThis as { __RSC_MANIFEST?: Record<string, ClientReferenceManifest>; self?: unknown };
  const hadSelf = "self" in scope;
  scope.self ??= globalThis;
  delete scope.__RSC_MANIFEST;
  delete load.cache[file];
  load(file);
  const manifest = scope.__RSC_MANIFEST;
  delete scope.__RSC_MANIFEST;
  if (!hadSelf) delete scope.self;
  return manifest;
}

/** "/(chat)/c/[id]/page" → "/c/[id]": route groups and the page segment are not part of the URL. */
function normalizeAppPath(appPath: string): string {
  const parts = appPath
    .split("/")
    .slice(0, -1)
    .filter((part) => part && !(part.startsWith("(") && part.endsWith(")")) && !part.startsWith("@"));
  return `/${parts.join("/")}`;
}
