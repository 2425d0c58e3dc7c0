import { stackAccess } from "../access/stack-access.js";
import { recordAudit } from "../audit/recorder.js";
import { roleRank } from "../auth/principal.js";
import { constraintKind, parseJson } from "../db/rows.js";
import { evaluatePolicies } from "../policy-engine/evaluate.js";
import type { RunEngine } from "../runs/engine.js";
import { loadRun } from "../runs/repository.js";
import type { RunService } from "../runs/service.js";
import { runCreator, triggerPolicyInput } from "./trigger-input.js";

/** What the TRIGGER policies of one finished run led to. */
export interface TriggerReport {
  triggered: { stackId: string; runId: string }[];
  skipped: { stackId: string; reason: string }[];
  errors: string[];
}

/**
 * TRIGGER policies: when a blocking run of a stack reaches a terminal state, every TRIGGER
 * policy that applies to the stack names stacks (`trigger`) and each gets a TRACKED run, as its
 * creator, provided that:
 * - the creator may write the stack (space roles and ACCESS policies, as if they clicked);
 * - the stack is not already in the run's trigger chain, so A -> B -> A ends at the second A;
 * - the triggering run has not triggered it before (a unique key per pair, so a replayed
 *   evaluation or a second replica adds nothing).
 * A policy that fails to evaluate triggers nothing (its receipt on the run holds the error).
 * A module's TRIGGER policies are evaluated when a version becomes ACTIVE, with their own input
 * (`trigger_module_version_input.json`), by modules/impact.ts.
 */
export function triggerService(engine: RunEngine, runs: Pick<RunService, "enqueue">) {
  const { core } = engine;
  const access = stackAccess(core);

  async function onRunFinished(runId: string): Promise<TriggerReport | undefined> {
    const { db } = core;
    const run = await loadRun(db, runId);
    const stack = await db.selectFrom("stacks").selectAll().where("id", "=", run.stack_id).executeTakeFirst();
    // A module's TRIGGER policies run when a version is published (modules/impact.ts), with the
    // module version input, not when one of its test runs ends.
    if (!stack || stack.module_id) return undefined;
    const report: TriggerReport = { triggered: [], skipped: [], errors: [] };
    const applied = await db.selectFrom("policies").select("id").where("type", "=", "TRIGGER").limit(1).executeTakeFirst();
    if (!applied) return undefined;
    const creator = await runCreator(db, run, stack);
    const { input, visible } = await triggerPolicyInput(db, access, run, stack, creator);
    const verdict = await evaluatePolicies(core, core.policyEngine, run.id, stack, "TRIGGER", ["trigger"], input);
    if (verdict.count === 0) return undefined;
    const wanted = new Set<string>();
    for (const p of verdict.perPolicy) {
      if (p.outcome === "error") report.errors.push(...(p.said.trigger ?? []));
      else for (const id of p.said.trigger ?? []) wanted.add(id);
    }
    const chain = [...(run.trigger_chain ? parseJson<string[]>(run.trigger_chain) : []), stack.id];
    for (const target of [...wanted].sort()) {
      const skip = (reason: string) => report.skipped.push({ stackId: target, reason });
      if (chain.includes(target)) {
        skip(`stack ${target} is already in this trigger chain (${chain.join(" -> ")}): not triggered again, so the loop ends`);
        continue;
      }
      const row = visible.get(target);
      if (!row) {
        skip(`stack ${target} does not exist or ${creator.name} cannot read it`);
        continue;
      }
      const { role, limits } = await access.decide(db, creator, row);
      if (!role || roleRank[role] < roleRank.write) {
        skip(`${creator.name}, who created run ${run.id}, cannot trigger runs of stack ${target} (needs write, has ${role ?? "no role"}${limits.length ? `: ${limits.join("; ")}` : ""})`);
        continue;
      }
      try {
        const created = await engine.tx((trx, out) =>
          runs.enqueue(trx, out, creator, row, {
            type: "TRACKED", commitSha: null, command: null, message: `triggered by run ${run.id} of stack ${stack.id}`,
            trigger: { triggeredByRun: run.id, triggerChain: chain, triggerKey: `${run.id}:${target}`, note: `triggered by run ${run.id} of stack ${stack.id} (trigger policy)` },
          }),
        );
        report.triggered.push({ stackId: target, runId: created.id });
      } catch (err) {
        if (constraintKind(err) === "unique") skip(`run ${run.id} already triggered stack ${target}`);
        else skip(`could not queue a run of stack ${target}: ${(err as Error).message}`);
      }
    }
    if (report.errors.length) core.log.warn({ run: run.id, errors: report.errors }, "trigger policy failed to evaluate; it triggered nothing");
    await recordAudit(db, creator, { action: "run.trigger", targetType: "run", targetId: run.id, spaceId: stack.space_id, payload: { stackId: stack.id, ...report } });
    return report;
  }

  engine.onBlockingRunFinished = onRunFinished;
  return { onRunFinished };
}

export type TriggerService = ReturnType<typeof triggerService>;
