import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WorkerError } from "../errors.js";
import { exec } from "../exec.js";
import { planDelta, summaryHasResourceChanges } from "../plan-summary.js";
import { backendSetup } from "../workspace/prepare.js";
import type { PlanResult, VendorAdapter, VendorRun } from "./vendor.js";

const PLAN_FILE = "gantry.tfplan";

/**
 * terraform and tofu (the stack's workflowTool): init with the managed-state backend, a saved
 * plan, `show -json` as the policy document, apply of the saved plan.
 */
export function terraformAdapter(run: VendorRun, bin: string): VendorAdapter {
  const { job, project, log, signal, admin } = run;
  const backendArgs = job.phase === "plan" ? backendSetup(project, job, run.serverUrl) : [];
  const tool = job.workflowTool === "OPEN_TOFU" ? "tofu" : "terraform";
  const step = <T>(name: string, fn: () => Promise<T>) => (run.step ? run.step(`${tool} ${name}`, fn) : fn());
  const tf = async (args: string[], capture = false) => {
    if (!capture) log.write(`$ ${bin} ${args.join(" ")}\n`);
    const env = run.env();
    const r = await step(args[0]!, () => exec(bin, args, { cwd: project, env: admin && args[0] === "init" ? admin.initEnvironment(env) : env, log, signal, capture }));
    if (r.code !== 0) throw new WorkerError("phase", `${bin} ${args[0]} exited with code ${r.code}: see the log above`);
    return r.stdout;
  };

  return {
    async init() {
      await tf(["init", "-input=false", "-no-color", ...backendArgs]);
    },

    async plan(destroy): Promise<PlanResult> {
      // No state lock for planning: a saved plan applies only to the state it was made from
      // (terraform refuses a stale plan), and proposed runs plan beside a tracked run's apply.
      const planArgs = ["plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode", `-out=${PLAN_FILE}`, ...(destroy ? ["-destroy"] : [])];
      log.write(`$ ${bin} ${planArgs.join(" ")}\n`);
      const planned = await step("plan", () => exec(bin, planArgs, { cwd: project, env: run.env(), log, signal, tee: true }));
      // -detailed-exitcode: 0 no changes, 2 changes, anything else an error.
      if (planned.code !== 0 && planned.code !== 2) throw new WorkerError("phase", `${bin} plan exited with code ${planned.code}: see the log above`);
      // `show -json` is a full terraform start, so it is left running for the executor to await.
      const document = tf(["show", "-json", PLAN_FILE], true).then((planJson) => ({ planJson, delta: planDelta(JSON.parse(planJson) as object) }));
      document.catch(() => undefined); // surfaced where it is awaited
      return { earlyApply: planned.code === 2 && summaryHasResourceChanges(planned.stdout), document };
    },

    async apply() {
      await tf(["apply", "-input=false", "-no-color", PLAN_FILE]);
    },

    async destroyAll() {
      await tf(["destroy", "-auto-approve", "-input=false", "-no-color"]);
    },

    async outputs() {
      const outputs = JSON.parse(await tf(["output", "-json"], true)) as Record<string, { sensitive: boolean; value: unknown }>;
      return Object.fromEntries(Object.entries(outputs).filter(([, o]) => !o.sensitive).map(([k, o]) => [k, o.value]));
    },

    savedPlan() {
      return readFileSync(join(project, PLAN_FILE));
    },
  };
}
