import type { PolicySimulation, PolicyType, SimulatedInput } from "@gantry/contract";
import type { StackAccess } from "../access/stack-access.js";
import { explainStack } from "../attachments/resolve.js";
import type { Principal } from "../auth/principal.js";
import type { Core } from "../core.js";
import type { PoliciesTable, StacksTable } from "../db/schema.js";
import { AppError } from "../errors.js";
import { messages } from "../policy-engine/index.js";
import { planSanitizer } from "../runs/plan-sanitization.js";
import { policyVersion } from "./policy-version.js";
import { compareSaid, outcomeOf, rulesOf, summarize, type Said } from "./simulation-rules.js";

/** What to replay: the saved body against itself, or a tried body against the saved one. */
export interface SimulationRequest {
  body?: string;
  regoVersion?: "V0" | "V1";
  /** The most recent recorded inputs to replay per stack. */
  last: number;
}

/** Upper bound on recorded receipts read for one simulation: a what-if must not scan forever. */
const MAX_RECEIPTS_SCANNED = 100_000;

/** Policy types whose inputs are recorded on runs; the others decide requests, not runs. */
const simulatable = new Set<string>(["PLAN", "APPROVAL", "INITIALIZATION", "TASK", "TRIGGER", "GIT_PUSH", "NOTIFICATION"]);

interface RecordedInput { stackId: string; runId: string; at: string; inputEncrypted: string }

/**
 * The recorded inputs of a policy type, newest first, at most `last` per stack: receipts of one
 * evaluation share one encrypted input (see evaluatePolicies), so distinct ciphertexts are
 * distinct inputs.
 */
async function recordedInputs(core: Core, type: string, last: number): Promise<RecordedInput[]> {
  const rows = await core.db
    .selectFrom("run_policy_receipts as r")
    .innerJoin("runs", "runs.id", "r.run_id")
    .select(["r.run_id", "r.at", "r.input_encrypted", "runs.stack_id"])
    .where("r.type", "=", type)
    .where("r.input_encrypted", "!=", "")
    .orderBy("r.id", "desc")
    .limit(MAX_RECEIPTS_SCANNED)
    .execute();
  const seen = new Set<string>();
  const perStack = new Map<string, number>();
  const out: RecordedInput[] = [];
  for (const r of rows) {
    if (seen.has(r.input_encrypted)) continue;
    seen.add(r.input_encrypted);
    const n = perStack.get(r.stack_id) ?? 0;
    if (n >= last) continue;
    perStack.set(r.stack_id, n + 1);
    out.push({ stackId: r.stack_id, runId: r.run_id, at: r.at, inputEncrypted: r.input_encrypted });
  }
  return out;
}

/**
 * Replays a policy on the inputs recorded on runs of the stacks it applies to: the saved body
 * ("old") and the tried body ("new", the saved one when none is given) each decide every input,
 * and the differences are listed per run. Inputs of stacks the caller cannot read are skipped
 * and only counted: a what-if must not become a way to read other teams' plans. Nothing is saved.
 */
export async function simulatePolicy(core: Core, access: StackAccess, actor: Principal, policy: PoliciesTable, req: SimulationRequest): Promise<PolicySimulation> {
  const type = policy.type as PolicyType;
  if (!simulatable.has(type)) {
    throw new AppError("not_supported", `simulating ${type} policies is not supported yet: they decide requests, and Gantry records inputs only for policies evaluated on runs (${[...simulatable].join(", ")})`);
  }
  const engine = core.policyEngine;
  if (!engine) throw new AppError("not_supported", "this server has no policy engine: a policy cannot be simulated");
  const oldModule = { file: `${policy.id}.rego`, body: policy.body, regoVersion: policy.rego_version as "V0" | "V1" };
  const newModule = { file: `${policy.id}.rego`, body: req.body ?? policy.body, regoVersion: req.regoVersion ?? oldModule.regoVersion };
  const rules = rulesOf(type);
  const options = type === "PLAN" ? { sanitize: planSanitizer(core) } : {};

  const decide = async (module: typeof oldModule, input: unknown): Promise<Said> => {
    try {
      const value = await engine.evaluate([module], "data.spacelift", input, options);
      return { rules: Object.fromEntries(rules.map((r) => [r, messages(value, r)])) };
    } catch (err) {
      return { rules: {}, error: (err as Error).message };
    }
  };

  const inputs = await recordedInputs(core, type, req.last);
  const stackIds = [...new Set(inputs.map((i) => i.stackId))];
  const stacks = stackIds.length ? await core.db.selectFrom("stacks").selectAll().where("id", "in", stackIds).execute() : [];
  const applying: StacksTable[] = [];
  for (const s of stacks) {
    if ((await explainStack(core.db, s)).policies.some((p) => p.id === policy.id)) applying.push(s);
  }
  const readable = new Set((await access.readable(core.db, actor, applying)).map((s) => s.id));
  const applyingIds = new Set(applying.map((s) => s.id));
  const skipped = { stacks: applying.length - readable.size, inputs: inputs.filter((i) => applyingIds.has(i.stackId) && !readable.has(i.stackId)).length };

  const results: SimulatedInput[] = [];
  for (const i of inputs) {
    if (!readable.has(i.stackId)) continue;
    const input = JSON.parse(core.box.decrypt(i.inputEncrypted).toString("utf8")) as unknown;
    const [before, after] = [await decide(oldModule, input), await decide(newModule, input)];
    const diff = compareSaid(rules, before, after);
    results.push({ stackId: i.stackId, runId: i.runId, recordedAt: i.at, oldOutcome: outcomeOf(type, rules, before), newOutcome: outcomeOf(type, rules, after), ...diff });
  }
  return {
    policyId: policy.id,
    type,
    oldVersion: policyVersion(oldModule.body, oldModule.regoVersion),
    newVersion: policyVersion(newModule.body, newModule.regoVersion),
    results,
    summary: summarize(results),
    skipped,
  };
}
