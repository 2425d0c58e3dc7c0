import type { PolicyExplanation, PolicyType } from "@gantry/contract";
import type { Principal } from "../auth/principal.js";
import { stackAccess } from "../access/stack-access.js";
import type { Core } from "../core.js";
import { AppError, notFound } from "../errors.js";
import type { PolicyEngine } from "../policy-engine/index.js";
import { planSanitizer } from "./plan-sanitization.js";
import { loadRun } from "./repository.js";
import { keptPolicyBody, policyVersion } from "../policies/policy-version.js";

/**
 * `gantry run explain-policy`: OPA's trace of one policy over the input a run's receipt
 * recorded, so a policy author can see why it denied, warned or stayed silent. The body traced is
 * the one that decided (its version is on the receipt) when Gantry kept it, as it does for every
 * save since migration 0104; otherwise the current body, and the answer's versions differ.
 * `body: "current"` traces the policy as it is now over the same input (what a fix would say). The input is
 * decrypted only here, evaluated in process, and never returned: the answer holds the trace
 * (expressions, rule names and `trace()` notes), not the plan.
 */
export function policyExplainService(core: Core, engine: PolicyEngine | undefined) {
  const { db } = core;
  const access = stackAccess(core);
  return {
    async explain(actor: Principal, runId: string, policyId: string, mode: PolicyExplanation["mode"], which: PolicyExplanation["body"] = "decided"): Promise<PolicyExplanation> {
      const run = await loadRun(db, runId);
      const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirst();
      if (!stack) throw notFound("stack", run.stack_id);
      await access.require(db, actor, stack, "read", "explaining a run's policy");
      const receipt = await db.selectFrom("run_policy_receipts").selectAll().where("run_id", "=", runId).where("policy_id", "=", policyId).orderBy("id", "desc").executeTakeFirst();
      if (!receipt) throw new AppError("not_found", `run ${runId} has no receipt of policy ${JSON.stringify(policyId)}: gantry run show ${runId} lists the policies it evaluated`);
      if (!engine?.explain) throw new AppError("not_supported", "this server's policy engine cannot trace evaluations: run the server with Gantry's Rego engine");
      const current = await db.selectFrom("policies").select(["body", "rego_version"]).where("id", "=", policyId).executeTakeFirst();
      if (!current) throw new AppError("not_found", `policy ${JSON.stringify(policyId)} was deleted after run ${runId} evaluated it: there is no body to trace`);
      // The body that decided, when kept (every save since migration 0104); else the current one.
      const decided = which === "decided" && receipt.policy_version ? await keptPolicyBody(db, policyId, receipt.policy_version) : undefined;
      const policy = decided ?? current;
      const input = JSON.parse(core.box.decrypt(receipt.input_encrypted).toString("utf8")) as unknown;
      const type = receipt.type as PolicyType;
      // PLAN policies see sanitized() with the server's keyed hash, as when the run evaluated them.
      const options = type === "PLAN" ? { sanitize: planSanitizer(core) } : {};
      let trace: string;
      try {
        trace = await engine.explain([{ file: `${policyId}.rego`, body: policy.body, regoVersion: policy.rego_version as "V0" | "V1" }], "data.spacelift", input, mode, options);
      } catch (err) {
        throw new AppError("conflict", `policy ${policyId} failed to evaluate over the recorded input: ${(err as Error).message}`);
      }
      return {
        runId, policyId, policyName: receipt.policy_name, type, receiptId: receipt.id, outcome: receipt.outcome, evaluatedAt: receipt.at, mode, trace,
        decidingVersion: receipt.policy_version, body: which, tracedVersion: policyVersion(policy.body, policy.rego_version),
      };
    },
  };
}
