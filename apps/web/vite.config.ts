import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
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
  plugins: [precompress()],
  server: { proxy: { "/api": "http://127.0.0.1:4810" } },
});
