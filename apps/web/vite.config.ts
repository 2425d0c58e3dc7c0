import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type * as Contract from "@gantry/contract";
import { tsImport } from "tsx/esm/api";
import { defineConfig, type Plugin } from "vite";

/** Writes `.br` and `.gz` beside every built script and stylesheet, for the server's pre-compressed serving. */
function precompress(): Plugin {
  return {
    name: "gantry-precompress",
    apply: "build",
    writeBundle(options) {
      const dir = join(options.dir ?? "dist", "assets");
      for (const f of readdirSync(dir)) {
        if (!/\.(js|css)$/.test(f)) continue;
        const body = readFileSync(join(dir, f));
        writeFileSync(join(dir, `${f}.gz`), gzipSync(body, { level: 9 }));
        writeFileSync(join(dir, `${f}.br`), brotliCompressSync(body));
      }
    },
  };
}

/**
 * `virtual:gantry-routes`: each endpoint's method and path, taken from the contract's endpoint
 * table when the UI is built. The browser calls the API through the contract's HTTP client with
 * this table instead of the full one, so the first page ships no zod and no schemas (they were
 * a third of its script and most of its start-up time).
 */
function endpointRoutes(): Plugin {
  const id = "virtual:gantry-routes";
  return {
    name: "gantry-endpoint-routes",
    resolveId: (source) => (source === id ? `\0${id}` : null),
    async load(source) {
      if (source !== `\0${id}`) return null;
      // The contract is TypeScript source (a workspace package): loaded through tsx, as the CLI is.
      const { endpoints } = (await tsImport("@gantry/contract", import.meta.url)) as typeof Contract;
      const routes = Object.fromEntries(Object.entries(endpoints).map(([name, e]) => [name, { method: e.method, path: e.path }]));
      return `export default ${JSON.stringify(routes)};`;
    },
  };
}

/**
 * Preloads the app's chunk (app/start.tsx, imported dynamically by the small entry script) from
 * index.html, so it downloads beside the entry instead of after it has run. Its own imports are
 * preloaded too; the lazily loaded pages are not.
 */
function preloadApp(): Plugin {
  return {
    name: "gantry-preload-app",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === "chunk");
        const app = chunks.find((c) => c.isDynamicEntry && c.moduleIds.some((id) => id.endsWith("/src/app/start.tsx")));
        if (!app) throw new Error("gantry-preload-app: the app chunk (src/app/start.tsx) is missing from the build");
        const files = new Set<string>();
        const add = (fileName: string) => {
          if (files.has(fileName)) return;
          files.add(fileName);
          const chunk = chunks.find((c) => c.fileName === fileName);
          for (const i of chunk?.imports ?? []) add(i);
        };
        add(app.fileName);
        const entry = chunks.find((c) => c.isEntry);
        for (const f of [entry?.fileName, ...(entry?.imports ?? [])]) if (f) files.delete(f);
        return [...files].map((f) => ({ tag: "link", attrs: { rel: "modulepreload", crossorigin: true, href: `/${f}` }, injectTo: "head" as const }));
      },
    },
  };
}

// The UI is served by the Gantry server from apps/web/dist: hashed assets under /assets/ (cached
// for a year), index.html never cached. `npm run dev -w @gantry/web` proxies the API to a local
// `gantry up` on port 4810.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      // zod's sources carry comments in positions Rollup reports and then drops: harmless noise.
      onwarn(warning, warn) {
        if (warning.code !== "INVALID_ANNOTATION") warn(warning);
      },
    },
  },
  esbuild: { jsx: "automatic" },
  plugins: [endpointRoutes(), preloadApp(), precompress()],
  server: { proxy: { "/api": "http://127.0.0.1:4810" } },
});
