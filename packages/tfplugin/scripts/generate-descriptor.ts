/**
 * Regenerates src/proto/descriptor.json from the .proto files. The JSON is committed so the
 * provider process never parses .proto text at start-up (that would cost tens of ms per launch,
 * and Terraform launches a provider several times per plan).
 *
 * Run: npx tsx packages/tfplugin/scripts/generate-descriptor.ts
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "proto");
const root = new protobuf.Root();
root.loadSync(["tfplugin6.8.proto", "go-plugin.proto", "health.proto"].map((f) => join(dir, f)), { keepCase: true });
root.resolveAll();
writeFileSync(join(dir, "descriptor.json"), JSON.stringify(root.toJSON({ keepComments: false })) + "\n");
console.log("wrote", join(dir, "descriptor.json"));
