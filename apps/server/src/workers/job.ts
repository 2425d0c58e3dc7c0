import type { Hooks, Job, RunType } from "@gantry/contract";
import { hookNames } from "@gantry/contract";
import { explainStack } from "../attachments/resolve.js";
import { mintRunApiToken } from "../auth/run-api-tokens.js";
import type { Core } from "../core.js";
import { parseJson, toBool } from "../db/rows.js";
import type { RunsTable, StacksTable } from "../db/schema.js";
import { configElementContext } from "../config-elements/service.js";
import { resolveReferences } from "../dependencies/references.js";
import { BlobStore } from "../runs/blob-store.js";
import type { OidcIssuer } from "../oidc/issuer.js";
import { runCredentials } from "../oidc/run-credentials.js";
import type { RegistrySettings } from "../modules/rows.js";
import { stackProviderSources } from "../providers/stack-sources.js";
import { mintRunRegistryToken } from "../registry/registry-tokens.js";
import { vendorFromRow } from "../stacks/vendor.js";

/**
 * Builds what a worker needs for one phase of a run. Configuration comes from the stack's
 * contexts in precedence order (explain's `order`: 1 wins over 2) and then the stack itself,
 * which wins over every context, and then the output references of its upstream stacks; the list is ordered lowest precedence first, so a worker that
 * applies entries in order ends with the right value. Hooks of contexts run before the stack's.
 */
export async function buildJob(core: Core, issuer: OidcIssuer, run: RunsTable, stack: StacksTable, runToken: string, phase: Job["phase"], deadline: Date, registry?: RegistrySettings): Promise<Job> {
  const { db, box } = core;
  const explained = await explainStack(db, stack);
  const contexts = [...explained.contexts].sort((a, b) => (b.order ?? 0) - (a.order ?? 0));
  const owners: { type: "context" | "stack"; id: string }[] = [...contexts.map((c) => ({ type: "context" as const, id: c.id })), { type: "stack", id: stack.id }];
  const variables = new Map<string, Job["variables"][number]>();
  const files = new Map<string, Job["files"][number]>();
  for (const owner of owners) {
    const rows = await db.selectFrom("config_elements").selectAll().where("owner_type", "=", owner.type).where("owner_id", "=", owner.id).execute();
    for (const r of rows) {
      const plain = box.decrypt(r.value_encrypted, configElementContext(r));
      const secret = toBool(r.write_only);
      if (r.kind === "variable") {
        variables.delete(r.name);
        variables.set(r.name, { name: r.name, value: plain.toString("utf8"), secret });
      } else {
        files.delete(r.name);
        files.set(r.name, { relativePath: r.name, contentBase64: plain.toString("base64"), secret });
      }
    }
  }
  // Output references of upstream stacks come last: they win over contexts and the stack's own
  // variables. A missing one failed the run when it was claimed (see protocol-service.ts).
  for (const v of (await resolveReferences(db, new BlobStore(box), stack.id)).variables) {
    variables.delete(v.name);
    variables.set(v.name, v);
  }
  const hooks = Object.fromEntries(hookNames.map((h) => [h, [] as string[]])) as Hooks;
  const contextRows = contexts.length ? await db.selectFrom("contexts").select(["id", "hooks"]).where("id", "in", contexts.map((c) => c.id)).execute() : [];
  const contextHooks = new Map(contextRows.map((c) => [c.id, parseJson<Partial<Hooks>>(c.hooks)]));
  // Highest-precedence context first, then the stack.
  for (const h of [...[...contexts].reverse().map((c) => contextHooks.get(c.id) ?? {}), parseJson<Partial<Hooks>>(stack.hooks)]) {
    for (const name of hookNames) hooks[name].push(...(h[name] ?? []));
  }
  // Minted when the phase starts executing: a token per phase, never stored by the server.
  const credentials = await runCredentials(db, issuer, run, stack, explained.integrations, deadline);
  return {
    runId: run.id,
    runType: run.type as RunType,
    phase,
    stackId: stack.id,
    spaceId: stack.space_id,
    repository: stack.repository,
    branch: run.commit_branch,
    commitSha: run.commit_sha,
    source: run.source as Job["source"],
    projectRoot: stack.project_root,
    workflowTool: stack.workflow_tool as Job["workflowTool"],
    terraformVersion: stack.terraform_version,
    ...jobVendor(stack),
    command: run.command,
    hooks,
    variables: [...variables.values()],
    files: [...files.values()],
    runToken,
    stateBackend: toBool(stack.manage_state)
      ? { address: `/state/${encodeURIComponent(stack.id)}`, lockAddress: `/state/${encodeURIComponent(stack.id)}/lock`, unlockAddress: `/state/${encodeURIComponent(stack.id)}/lock` }
      : null,
    administrative: toBool(stack.administrative),
    // Minted per phase (and replacing the previous phase's): it works only while this phase executes.
    apiToken: toBool(stack.administrative) ? await mintRunApiToken(db, run, stack.space_id) : null,
    deadline: deadline.toISOString(),
    oidcToken: credentials.oidcToken,
    aws: credentials.aws,
    registry: registry?.httpsUrl
      ? { hosts: [registry.host, ...registry.aliases], serviceUrl: registry.httpsUrl, caCertificatePem: registry.caCertificatePem, providerSources: await stackProviderSources(db, stack.space_id, registry) }
      : null,
    // Minted per phase (replacing the previous one): the CLI config's credential reads only the registry.
    registryToken: registry?.httpsUrl ? await mintRunRegistryToken(db, run.id) : null,
  };
}

/**
 * The plain values of the write-only variables and files a run of the stack receives, and each
 * of their lines: what the worker masks, and what must not turn up unmasked in stored outputs.
 */
export async function writeOnlyValues(db: Core["db"], box: Core["box"], stack: StacksTable): Promise<string[]> {
  const explained = await explainStack(db, stack);
  const owners = [...explained.contexts.map((c) => ({ type: "context" as const, id: c.id })), { type: "stack" as const, id: stack.id }];
  const values = new Set<string>();
  for (const owner of owners) {
    const rows = await db.selectFrom("config_elements").selectAll().where("owner_type", "=", owner.type).where("owner_id", "=", owner.id).where("write_only", "=", 1).execute();
    for (const r of rows) {
      const plain = box.decrypt(r.value_encrypted, configElementContext(r)).toString("utf8");
      for (const v of [plain, ...plain.split(/\r?\n/).map((l) => l.trim())]) if (v.length >= 3) values.add(v);
    }
  }
  return [...values];
}

/** The vendor a worker runs the phases with, and the settings its adapter reads. */
function jobVendor(stack: StacksTable): Pick<Job, "vendor" | "kubernetes" | "ansible"> {
  const v = vendorFromRow(stack);
  return { vendor: v.vendor, kubernetes: v.kubernetes, ansible: v.ansible };
}
