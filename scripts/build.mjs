#!/usr/bin/env node
// Builds what runs outside the test runner:
// - the `gantry` command as one ESM bundle (apps/cli/dist/gantry.mjs). Workspace packages are
//   bundled from their TypeScript sources; npm dependencies stay external and load from
//   node_modules (native ones such as better-sqlite3 cannot be bundled);
// - every workspace that has its own `build` script (the provider bundles and their mirror).
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workspaces = ["apps", "packages"].flatMap((d) => readdirSync(join(root, d)).map((n) => join(root, d, n))).filter((d) => existsSync(join(d, "package.json")));
const external = new Set();
for (const ws of [root, ...workspaces]) {
  const pkg = JSON.parse(readFileSync(join(ws, "package.json"), "utf8"));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) if (!dep.startsWith("@gantry/")) external.add(dep);
}

await build({
  entryPoints: [join(root, "apps/cli/src/main.ts")],
  outfile: join(root, "apps/cli/dist/gantry.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // the entry's own `#!/usr/bin/env node` line is kept by esbuild
  external: [...external],
  logLevel: "warning",
});
console.log("built apps/cli/dist/gantry.mjs");

for (const ws of workspaces) {
  const pkg = JSON.parse(readFileSync(join(ws, "package.json"), "utf8"));
  if (pkg.scripts?.build) {
    console.log(`building ${pkg.name}`);
    execFileSync("npm", ["run", "build", "-w", pkg.name], { cwd: root, stdio: "inherit" });
  }
}
