import type { CheckPolicy, RunPlan, StackResources } from "@gantry/contract";
import type { z } from "zod";
import { stackAccess } from "../access/stack-access.js";
import type { Principal } from "../auth/principal.js";
import { notFound } from "../errors.js";
import type { RunEngine } from "../runs/engine.js";
import { loadRun } from "../runs/repository.js";
import { writeOnlyValues } from "../workers/job.js";
import { planView } from "./plan-view.js";
import { checkPolicyBody } from "./policy-check.js";
import { stateResources } from "./state-resources.js";

/**
 * Read models the web UI needs that no other endpoint gives: a run's plan as a diff, the
 * resources of a stack's state, and the policy editor's check. Each reads through the same
 * stack access rules as the rest of the API.
 */
export function viewService(engine: RunEngine) {
  const { db } = engine.core;
  const access = stackAccess(engine.core);
  const loadStack = async (id: string) => {
    const stack = await db.selectFrom("stacks").selectAll().where("id", "=", id).executeTakeFirst();
    if (!stack) throw notFound("stack", id);
    return stack;
  };
  return {
    async runPlan(actor: Principal, runId: string): Promise<RunPlan> {
      const run = await loadRun(db, runId);
      const stack = await loadStack(run.stack_id);
      await access.require(db, actor, stack, "read", "reading a run's plan");
      const json = await engine.blobs.latest(db, "run", run.id, "plan-json");
      return planView(json?.toString("utf8"), json ? await writeOnlyValues(db, engine.core.box, stack) : []);
    },

    async stackResources(actor: Principal, stackId: string): Promise<StackResources> {
      const stack = await loadStack(stackId);
      await access.require(db, actor, stack, "read", "reading a stack's resources");
      const empty = { managed: stack.manage_state === 1, serial: null, runId: null, createdAt: null, resources: [] };
      if (stack.manage_state !== 1) return empty;
      const version = await db.selectFrom("state_versions").selectAll().where("stack_id", "=", stackId).orderBy("id", "desc").limit(1).executeTakeFirst();
      const blob = version ? await engine.blobs.byId(db, version.blob_id) : undefined;
      if (!version || !blob) return empty;
      return { ...empty, ...stateResources(blob.toString("utf8")), runId: version.run_id, createdAt: version.created_at };
    },

    checkPolicy(_actor: Principal, body: z.output<typeof CheckPolicy>) {
      return checkPolicyBody(body);
    },
  };
}
