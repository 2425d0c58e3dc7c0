import { explainStack } from "../attachments/resolve.js";
import { parseJson } from "../db/rows.js";
import type { ModulesTable, ModuleVersionsTable } from "../db/schema.js";
import { moduleStackId } from "../modules/module-stack.js";
import { moduleDocument, moduleVersionDocument } from "../modules/policy-documents.js";
import { testsOfVersions } from "../modules/test-runs.js";
import type { NotificationEvent } from "./events.js";
import { emptyPlan, webhooksInReach, type FanOutDeps, type FanOutPlan } from "./fanout.js";
import { plainSlackMessage } from "./payloads.js";
import { applyRules } from "./plan.js";
import { evaluateNotificationPolicies } from "./policy-evaluation.js";

type ModuleVersionEvent = Extract<NotificationEvent, { kind: "module_version" }>;

/** The webhook body of a module version event (what a `webhook` rule without its own `payload` sends). */
function moduleVersionPayload(m: ModulesTable, v: ModuleVersionsTable, at: string) {
  return {
    event: "module_version",
    account: "gantry",
    timestamp: Date.parse(at),
    module: { id: m.id, name: m.name, namespace: m.namespace, terraformProvider: m.terraform_provider, spaceId: m.space_id, labels: parseJson<string[]>(m.labels) },
    version: { number: v.version, state: v.state, commit: v.commit_sha, author: v.author, message: v.message, tag: v.tag, createdAt: v.created_at },
  };
}

/**
 * Plans a module version that became ACTIVE. Only NOTIFICATION policies route it (Spacelift's
 * `module_version` input): the ones that apply to the module, attached to it directly or by
 * its labels (`autoattach:<label>`, `autoattach:*`) within reach of its space. Webhooks
 * attached to stacks by label are not sent module events unasked: their receivers expect run
 * payloads. Without policies the event goes nowhere (a new version is not a problem to report).
 */
export async function planModuleVersion(deps: FanOutDeps, event: ModuleVersionEvent, at: string): Promise<FanOutPlan> {
  const { db } = deps.core;
  const plan = emptyPlan();
  const m = await db.selectFrom("modules").selectAll().where("id", "=", event.moduleId).executeTakeFirst();
  const v = m ? await db.selectFrom("module_versions").selectAll().where("module_id", "=", m.id).where("version", "=", event.version).executeTakeFirst() : undefined;
  if (!m || !v) return plan;
  const policies = (await explainStack(db, { id: moduleStackId(m.id), space_id: m.space_id, labels: m.labels })).policies.filter((p) => p.type === "NOTIFICATION");
  if (policies.length === 0) return plan;
  const { hooks, reach } = await webhooksInReach(deps.core, m.space_id);
  const tests = (await testsOfVersions(db, [v.id])).get(v.id) ?? [];
  const input = {
    account: { name: "gantry" },
    webhook_endpoints: hooks.map((h) => ({ id: h.id, labels: parseJson<string[]>(h.labels) })),
    module_version: { module: moduleDocument(m), version: await moduleVersionDocument(db, m, v, tests) },
  };
  const said = await evaluateNotificationPolicies(deps, policies, input, { runId: null, spaceId: m.space_id, stackId: null }, plan);
  await applyRules(deps, plan, said, {
    spaceId: m.space_id, stackId: null, runId: null, hooks, reach, defaultPayload: moduleVersionPayload(m, v, at),
    slackMessage: (message) => plainSlackMessage(message ?? `:package: Module ${m.name} (\`${m.id}\`) version ${v.version} is available`),
  });
  return plan;
}
