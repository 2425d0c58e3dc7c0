/** Builds the providers Gantry ships into a private filesystem mirror, as `npm run build` lays them out. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";

const providers = join(import.meta.dirname, "../../../packages/providers/src");

export async function buildShippedMirror(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "gantry-shipped-mirror-"));
  // CommonJS bundles in extension-less files: keep node from reading them as ES modules.
  writeFileSync(join(dir, "package.json"), '{ "type": "commonjs" }\n');
  const mirrorDir = join(dir, "mirror");
  for (const p of [{ entry: "aws/main.ts", namespace: "sim", name: "aws" }, { entry: "gantry/main.ts", namespace: "gantry", name: "gantry" }]) {
    const binary = join(dir, "bin", `terraform-provider-${p.name}`);
    await buildProviderBinary({ entry: join(providers, p.entry), outFile: binary });
    await layoutMirror({ mirrorDir, host: "gantry.dev", namespace: p.namespace, name: p.name, version: "0.1.0", binary });
  }
  return mirrorDir;
}
