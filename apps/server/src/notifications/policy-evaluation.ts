import { ulid } from "ulid";
import { policyVersion } from "../policies/policy-version.js";
import { now } from "../db/rows.js";
import type { FanOutDeps, FanOutPlan } from "./fanout.js";
import { readNotificationRules, type NotificationRules } from "./policy-rules.js";

/**
 * Evaluates NOTIFICATION policies with `input` and keeps a receipt per policy on the run (when
 * the event is about a run), readable by whoever can read the run. A policy that fails to
 * evaluate (or a server without an engine) says nothing and becomes an internal-error event.
 */
export async function evaluateNotificationPolicies(
  deps: FanOutDeps,
  policies: { id: string; name: string }[],
  input: unknown,
  about: { runId: string | null; spaceId: string; stackId: string | null },
  plan: FanOutPlan,
): Promise<{ policyId: string; rules: NotificationRules }[]> {
  const { db, box } = deps.core;
  const out: { policyId: string; rules: NotificationRules }[] = [];
  let inputEncrypted: string | undefined;
  for (const p of policies) {
    const row = await db.selectFrom("policies").select(["body", "rego_version"]).where("id", "=", p.id).executeTakeFirst();
    if (!row) continue;
    const started = performance.now();
    let rules: NotificationRules | undefined;
    let failure: string | undefined;
    if (!deps.policyEngine) failure = "this server has no policy engine";
    else {
      try {
        const value = await deps.policyEngine.evaluate([{ file: `${p.id}.rego`, body: row.body, regoVersion: row.rego_version as "V0" | "V1" }], "data.spacelift", input);
        rules = readNotificationRules(value);
      } catch (err) {
        failure = (err as Error).message;
      }
    }
    const fired = rules ? (["inbox", "slack", "webhook", "pull_request"] as const).filter((r) => rules[r].length > 0) : [];
    const outcome = failure ? "error" : fired.length ? fired.join(",") : "silent";
    deps.metrics?.policyEvaluated("NOTIFICATION", failure ? "error" : "ok", performance.now() - started);
    if (failure) {
      plan.errors.push({ kind: "internal_error", spaceId: about.spaceId, stackId: about.stackId, runId: about.runId, message: `NOTIFICATION policy ${p.id} failed to evaluate`, error: failure, severity: "ERROR" });
    } else if (rules) out.push({ policyId: p.id, rules });
    if (about.runId) {
      const said = failure ? { error: [failure] } : Object.fromEntries(fired.map((r) => [r, rules![r].map((x) => JSON.stringify(x))]));
      await db
        .insertInto("run_policy_receipts")
        .values({ id: ulid(), run_id: about.runId, policy_id: p.id, policy_name: p.name, type: "NOTIFICATION", outcome, messages: JSON.stringify(said), input_encrypted: (inputEncrypted ??= box.encrypt(JSON.stringify(input))), policy_version: policyVersion(row.body, row.rego_version), at: now() })
        .execute();
    }
  }
  return out;
}
