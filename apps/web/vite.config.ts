import { defineConfig } from "vite";

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
  server: { proxy: { "/api": "http://127.0.0.1:4810" } },
});
