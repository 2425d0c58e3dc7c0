import type { JobVariable } from "@gantry/contract";
import type { z } from "zod";
import type { Db } from "../db/connect.js";
import type { BlobStore } from "../runs/blob-store.js";
import { readAppliedOutputs, type AppliedOutputs } from "./outputs.js";
import { referencesOfStack } from "./repository.js";

type Variable = z.infer<typeof JobVariable>;

/** The references of a stack resolved against its upstreams' latest applied outputs. */
export interface ResolvedReferences {
  variables: Variable[];
  /** Why a reference could not be resolved, naming the output and the upstream stack; empty when all were. */
  missing: string[];
}

/** A string output passes as is; anything else as JSON, which Terraform reads for list, map and object variables. */
function envValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Resolves every output reference of `stackId` into an environment variable, from each
 * upstream's latest applied outputs (read once per upstream). Sensitive outputs become secret
 * variables: the worker masks them in every log line, and they are never stored on the run.
 */
export async function resolveReferences(db: Db, blobs: BlobStore, stackId: string): Promise<ResolvedReferences> {
  const refs = await referencesOfStack(db, stackId);
  const applied = new Map<string, AppliedOutputs | null>();
  const variables: Variable[] = [];
  const missing: string[] = [];
  for (const r of refs) {
    if (!applied.has(r.upstream)) applied.set(r.upstream, await readAppliedOutputs(db, blobs, r.upstream));
    const outputs = applied.get(r.upstream);
    const output = outputs?.outputs[r.output_name];
    if (!output) {
      missing.push(
        outputs
          ? `output ${JSON.stringify(r.output_name)} of upstream stack ${JSON.stringify(r.upstream)} does not exist (its latest applied outputs are: ${Object.keys(outputs.outputs).join(", ") || "none"}); add the output there or fix the reference for ${r.input_name}`
          : `output ${JSON.stringify(r.output_name)} of upstream stack ${JSON.stringify(r.upstream)} does not exist: that stack has never applied; run it first, then retry this run`,
      );
      continue;
    }
    variables.push({ name: r.input_name, value: envValue(output.value), secret: output.sensitive });
  }
  return { variables, missing };
}
