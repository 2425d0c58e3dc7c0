#!/usr/bin/env node
// Builds the providers into single executable bundles and lays them out as a Terraform
// filesystem mirror: dist/mirror/gantry.dev/sim/aws/<version>/linux_amd64/... (the AWS
// simulator) and dist/mirror/gantry.dev/gantry/gantry/<version>/linux_amd64/... (Gantry's own).
// Run with tsx (`npm run build -w @gantry/providers`): the packaging helper is TypeScript.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// The bundle is CommonJS in an extension-less file: without this, node would take it for an ES
// module because this package is "type": "module".
mkdirSync(join(root, "dist"), { recursive: true });
writeFileSync(join(root, "dist", "package.json"), '{ "type": "commonjs" }\n');
const SPACELIFT_PROVIDER_VERSION = "1.53.5"; // keep in step with src/spacelift/provider.ts
const providers = [
  { entry: join(root, "src", "aws", "main.ts"), host: "gantry.dev", namespace: "sim", name: "aws", version },
  { entry: join(root, "src", "gantry", "main.ts"), host: "gantry.dev", namespace: "gantry", name: "gantry", version },
  { entry: join(root, "src", "spacelift", "main.ts"), host: "registry.terraform.io", namespace: "spacelift-io", name: "spacelift", version: SPACELIFT_PROVIDER_VERSION },
];
// The same Spacelift provider binary under further addresses. hashicorp/spacelift: a child module
// that uses spacelift_* resources without its own required_providers (as the seed blog's
// wrapper modules) makes terraform look for hashicorp/spacelift, its implied-provider rule.
const aliases = [{ of: "spacelift", host: "registry.terraform.io", namespace: "hashicorp", name: "spacelift", version: SPACELIFT_PROVIDER_VERSION }];
for (const p of providers) {
  const binary = join(root, "dist", "bin", `terraform-provider-${p.name}`);
  await buildProviderBinary({ entry: p.entry, outFile: binary });
  const installed = await layoutMirror({ mirrorDir: join(root, "dist", "mirror"), host: p.host, namespace: p.namespace, name: p.name, version: p.version, binary });
  console.log(`built ${installed}`);
}
for (const a of aliases) {
  const binary = join(root, "dist", "bin", `terraform-provider-${a.of}`);
  const installed = await layoutMirror({ mirrorDir: join(root, "dist", "mirror"), host: a.host, namespace: a.namespace, name: a.name, version: a.version, binary });
  console.log(`built ${installed} (alias of ${a.of})`);
}
