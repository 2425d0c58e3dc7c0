import type { ModuleVersion, PublishImpact, RunType } from "@gantry/contract";
import semver from "semver";
import { stackAccess } from "../access/stack-access.js";
import { roleRank, type Principal } from "../auth/principal.js";
import { reachCache } from "../attachments/reach.js";
import { AUTOATTACH } from "../attachments/kinds.js";
import { parseJson, toBool } from "../db/rows.js";
import type { ModulesTable, StacksTable } from "../db/schema.js";
import type { RunEngine } from "../runs/engine.js";
import type { RunService } from "../runs/service.js";
import { constraintAdmits } from "./constraints.js";
import { moduleStackId } from "./module-stack.js";
import { moduleDocument } from "./policy-documents.js";

/** Spacelift's `trigger_module_version_input.json` document for the module and the stacks given. */
async function triggerModuleInput(engine: RunEngine, m: ModulesTable, stacks: StacksTable[]) {
  const { db } = engine.core;
  const queued = async (id: string) => Number((await db.selectFrom("runs").select((eb) => eb.fn.countAll().as("n")).where("stack_id", "=", id).where("state", "=", "QUEUED").executeTakeFirst())?.n ?? 0);
  const contexts = async (id: string) => (await db.selectFrom("attachments").select("entity_id").where("stack_id", "=", id).where("kind", "=", "context").execute()).map((r) => r.entity_id);
  return {
    module: moduleDocument(m),
    stacks: await Promise.all(stacks.map(async (s) => ({
      additional_project_globs: parseJson<string[]>(s.additional_project_globs), administrative: toBool(s.administrative), autodeploy: toBool(s.autodeploy),
      branch: s.branch, contexts: await contexts(s.id), id: s.id, labels: parseJson<string[]>(s.labels), locked_by: s.locked_by ?? "", name: s.name,
      namespace: "", project_root: s.project_root, repository: s.repository, state: s.state, queued_runs: await queued(s.id),
    }))),
  };
}

/** TRIGGER policies that apply to a module: attached to it, or auto-attached by its labels (or `autoattach:*`) from a space within its reach. */
async function modulePolicies(engine: RunEngine, m: ModulesTable) {
  const { db } = engine.core;
  const reach = (await reachCache(db)(m.space_id)).map((s) => s.id);
  const labels = new Set(["*", ...parseJson<string[]>(m.labels)]);
  const rows = await db.selectFrom("policies").selectAll().where("type", "=", "TRIGGER").where("space_id", "in", reach).execute();
  // Attached directly to the module (through its host stack, see module-stack.ts) or by label.
  const attached = new Set((await db.selectFrom("attachments").select("entity_id").where("stack_id", "=", moduleStackId(m.id)).where("kind", "=", "policy").execute()).map((a) => a.entity_id));
  return rows.filter((p) => attached.has(p.id) || parseJson<string[]>(p.labels).some((l) => l.startsWith(AUTOATTACH) && labels.has(l.slice(AUTOATTACH.length))));
}

/**
 * What publishing a version does: the consumers whose constraint admits it (and are behind it);
 * with the module's `triggerConsumers` setting, a PROPOSED (or TRACKED) run of each, so a team
 * sees every affected plan before anyone applies; and the TRIGGER policies that apply to the
 * module, whose `trigger` names stacks to run (TRACKED). Runs are created as the publisher, who
 * must be able to write each stack; anything refused is reported with its reason.
 */
export function publishImpact(engine: RunEngine, runs: Pick<RunService, "enqueue">) {
  const { core } = engine;
  const access = stackAccess(core);

  async function queue(actor: Principal, stack: StacksTable, type: RunType, message: string, impact: PublishImpact, cause: string) {
    const { role, limits } = await access.decide(core.db, actor, stack);
    if (!role || roleRank[role] < roleRank.write) {
      impact.skipped.push({ stackId: stack.id, reason: `${actor.name} cannot trigger runs of stack ${stack.id} (needs write, has ${role ?? "no role"}${limits.length ? `: ${limits.join("; ")}` : ""})` });
      return;
    }
    try {
      const run = await engine.tx((trx, out) => runs.enqueue(trx, out, actor, stack, { type, commitSha: null, command: null, message, note: message }));
      impact.triggered.push({ stackId: stack.id, runId: run.id, type, cause });
    } catch (err) {
      impact.skipped.push({ stackId: stack.id, reason: `could not queue a run of stack ${stack.id}: ${(err as Error).message}` });
    }
  }

  return async function onPublished(actor: Principal, m: ModulesTable, v: ModuleVersion): Promise<PublishImpact> {
    const { db } = core;
    const impact: PublishImpact = { version: v.version, consumers: [], triggered: [], skipped: [], policyErrors: [] };
    const rows = await db.selectFrom("module_consumers").selectAll().where("module_id", "=", m.id).orderBy("stack_id").execute();
    const stacks = new Map((rows.length ? await db.selectFrom("stacks").selectAll().where("id", "in", rows.map((r) => r.stack_id)).execute() : []).map((s) => [s.id, s]));
    for (const r of rows) {
      const admits = constraintAdmits(r.constraint_text, v.version) && (!semver.valid(r.version) || semver.gt(v.version, r.version));
      impact.consumers.push({ stackId: r.stack_id, currentVersion: r.version, constraint: r.constraint_text, admits });
    }
    const message = `module ${m.id} ${v.version} published`;
    if (m.trigger_consumers !== "NONE") {
      for (const c of impact.consumers.filter((x) => x.admits)) {
        const stack = stacks.get(c.stackId);
        if (stack) await queue(actor, stack, m.trigger_consumers as RunType, message, impact, "triggerConsumers");
      }
    }
    const policies = await modulePolicies(engine, m);
    if (policies.length && !core.policyEngine) impact.policyErrors.push(`TRIGGER policies apply to module ${m.id} but this server has no policy engine`);
    if (policies.length && core.policyEngine) {
      const readable = await db.selectFrom("stacks").selectAll().where("module_id", "is", null).execute();
      const visible = (await access.readable(db, actor, readable)) as StacksTable[];
      const input = await triggerModuleInput(engine, m, visible);
      const wanted = new Map<string, string>();
      for (const p of policies) {
        try {
          const value = (await core.policyEngine.evaluate([{ file: `${p.id}.rego`, body: p.body, regoVersion: p.rego_version as "V0" | "V1" }], "data.spacelift", input)) as { trigger?: unknown } | undefined;
          const said = Array.isArray(value?.trigger) ? value.trigger : value?.trigger && typeof value.trigger === "object" ? Object.keys(value.trigger) : [];
          for (const id of said) if (typeof id === "string" && !wanted.has(id)) wanted.set(id, p.id);
        } catch (err) {
          impact.policyErrors.push(`TRIGGER policy ${p.id} failed to evaluate: ${(err as Error).message}`);
        }
      }
      const byId = new Map(visible.map((s) => [s.id, s]));
      for (const [id, policyId] of [...wanted].sort()) {
        const stack = byId.get(id);
        if (!stack) impact.skipped.push({ stackId: id, reason: `stack ${id} (named by TRIGGER policy ${policyId}) does not exist or ${actor.name} cannot read it` });
        else if (impact.triggered.some((t) => t.stackId === id)) continue;
        else await queue(actor, stack, "TRACKED", `${message} (trigger policy ${policyId})`, impact, `policy:${policyId}`);
      }
    }
    return impact;
  };
}
