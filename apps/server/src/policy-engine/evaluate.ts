import type { PolicyType } from "@gantry/contract";
import { ulid } from "ulid";
import { explainStack } from "../attachments/resolve.js";
import type { Core } from "../core.js";
import { now } from "../db/rows.js";
import type { StacksTable } from "../db/schema.js";
import { policyVersion } from "../policies/policy-version.js";
import { messages, type EvaluateOptions, type PolicyEngine } from "./index.js";

/** What the policies of one type said about a run. */
export interface PolicyVerdict {
  /** Messages per rule (`deny`, `warn`, `approve`, `reject`), prefixed with the policy id. */
  rules: Record<string, string[]>;
  /** How many policies of the type apply. */
  count: number;
  /** What each policy said, rule by rule. */
  perPolicy: { id: string; name: string; outcome: string; said: Record<string, string[]> }[];
}

/**
 * Evaluates every policy of `type` that applies to the stack (attached or auto-attached) with
 * `input`, and leaves a receipt per policy on the run: outcome, messages and the input it saw
 * (encrypted, since it holds the plan). Without an engine a policy cannot be honoured: each is
 * recorded as an error and reported as a `deny`, never as a pass. A policy that fails to
 * compile or evaluate also denies, with the engine's message.
 */
export async function evaluatePolicies(
  core: Core,
  engine: PolicyEngine | undefined,
  runId: string,
  stack: StacksTable,
  type: PolicyType,
  rules: readonly string[],
  input: unknown,
  options: EvaluateOptions = {},
): Promise<PolicyVerdict> {
  const explained = await explainStack(core.db, stack);
  const applied = explained.policies.filter((p) => p.type === type);
  const verdict: PolicyVerdict = { rules: Object.fromEntries(rules.map((r) => [r, [] as string[]])), count: applied.length, perPolicy: [] };
  const denyRule = rules.includes("deny") ? "deny" : rules.includes("reject") ? "reject" : rules[0]!;
  // Every receipt keeps the input it saw; it is the same for all of them, so it is serialized and encrypted once.
  let inputEncrypted: string | undefined;
  for (const p of applied) {
    const row = await core.db.selectFrom("policies").select(["body", "rego_version"]).where("id", "=", p.id).executeTakeFirstOrThrow();
    const said: Record<string, string[]> = {};
    let outcome: string;
    const started = Date.now();
    if (!engine) {
      said[denyRule] = [`${type} policy ${p.id} applies but this server has no policy engine: detach it or run a server with one`];
      outcome = "error";
    } else {
      try {
        const value = await engine.evaluate([{ file: `${p.id}.rego`, body: row.body, regoVersion: row.rego_version as "V0" | "V1" }], "data.spacelift", input, options);
        for (const r of rules) said[r] = messages(value, r);
        // An approval policy that neither approves nor rejects leaves the run waiting.
        outcome = rules.find((r) => (said[r] ?? []).length > 0) ?? (type === "APPROVAL" ? "undecided" : "allow");
      } catch (err) {
        said[denyRule] = [`${type} policy ${p.id} failed to evaluate: ${(err as Error).message}`];
        outcome = "error";
      }
    }
    core.tracing?.recordRunSpan(runId, `policy ${type} ${p.name}`, started, Date.now(), { "gantry.policy.id": p.id, "gantry.policy.type": type, "gantry.policy.outcome": outcome }, outcome === "error" ? said[denyRule]?.[0] : undefined);
    for (const [r, ms] of Object.entries(said)) verdict.rules[r]!.push(...ms.map((m) => `${p.id}: ${m}`));
    verdict.perPolicy.push({ id: p.id, name: p.name, outcome, said });
    await core.db
      .insertInto("run_policy_receipts")
      .values({ id: ulid(), run_id: runId, policy_id: p.id, policy_name: p.name, type, outcome, messages: JSON.stringify(said), input_encrypted: (inputEncrypted ??= core.box.encrypt(JSON.stringify(input ?? null))), policy_version: policyVersion(row.body, row.rego_version), at: now() })
      .execute();
  }
  return verdict;
}
