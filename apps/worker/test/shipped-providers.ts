/** Builds the providers Gantry ships into a private filesystem mirror, as `npm run build` lays them out. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";

const providers = join(import.meta.dirname, "../../../packages/providers/src");

/**
 * Gantry's provider and the AWS simulator under gantry.dev (version 0.1.0); with `spacelift`,
 * also Gantry's provider under Spacelift's address (registry.terraform.io/spacelift-io/spacelift
 * 1.53.5), as the providers package's build lays it out.
 */
export async function buildShippedMirror(opts: { spacelift?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "gantry-shipped-mirror-"));
  // CommonJS bundles in extension-less files: keep node from reading them as ES modules.
  writeFileSync(join(dir, "package.json"), '{ "type": "commonjs" }\n');
  const mirrorDir = join(dir, "mirror");
  const builds = [
    { entry: "aws/main.ts", host: "gantry.dev", namespace: "sim", name: "aws", version: "0.1.0" },
    { entry: "gantry/main.ts", host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0" },
    ...(opts.spacelift ? [{ entry: "spacelift/main.ts", host: "registry.terraform.io", namespace: "spacelift-io", name: "spacelift", version: "1.53.5" }] : []),
  ];
  for (const p of builds) {
    const binary = join(dir, "bin", `terraform-provider-${p.name}`);
    await buildProviderBinary({ entry: join(providers, p.entry), outFile: binary });
    await layoutMirror({ mirrorDir, host: p.host, namespace: p.namespace, name: p.name, version: p.version, binary });
  }
  return mirrorDir;
}
