import type { RunDetail } from "@gantry/contract";
import { attr, block, TfPluginError } from "@gantry/tfplugin";
import { call, callOrNull } from "../gantry/api.js";
import { kit } from "../gantry/kit.js";

const TERMINAL = new Set(["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"]);
const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/** Terraform's duration strings (`30m`, `1h30m`, `90s`) in milliseconds. */
function durationMs(s: string | null | undefined): number {
  if (!s) return DEFAULT_TIMEOUT_MS;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000 }[m[2] as "h" | "m" | "s"];
    consumed += m[0].length;
  }
  if (consumed !== s.length || total === 0) throw new TfPluginError("resource", `timeouts.delete ${JSON.stringify(s)} is not a duration such as 30m or 1h`, { path: ["timeouts", "delete"] });
  return total;
}

/**
 * `spacelift_stack_destructor`: when this resource is destroyed, the stack's resources are
 * destroyed first, by a DESTROY run Gantry executes like any other (policies, logs, state).
 * Destroying waits for that run and fails, keeping the resource, unless it FINISHED. With
 * `deactivated` nothing is destroyed.
 */
export const stackDestructor = kit.resource({
  description: "Destroys a stack's resources (a DESTROY run) before the stack itself is deleted.",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
    deactivated: attr.bool({ optional: true, default: false, description: "when true, destroying this resource destroys nothing" }),
    discard_runs: attr.bool({ optional: true, default: false, description: "cancel the stack's runs that have not started and discard those waiting for a person, so the DESTROY run does not wait behind them" }),
    timeouts: block.single({ delete: attr.string({ optional: true }) }),
  },
  async create({ planned, client }) {
    await call(client, "getStack", { params: { id: planned.stack_id } }, { id: "stack_id" });
    return { id: planned.stack_id };
  },
  async read({ state, client }) {
    const s = await callOrNull(client, "getStack", { params: { id: state.stack_id } });
    return s ? {} : null;
  },
  update: () => ({}),
  async delete({ state, client }) {
    if (state.deactivated) return;
    if (state.discard_runs) {
      // Spacelift's "eligible for discarding": runs not started yet are canceled, runs waiting for a person discarded.
      for (const r of (await call(client, "listStackRuns", { params: { id: state.stack_id }, query: {} })).items) {
        if (r.state === "QUEUED" || r.state === "READY") await call(client, "cancelRun", { params: { id: r.id } });
        else if (r.state === "UNCONFIRMED" || r.state === "PENDING_REVIEW") await call(client, "discardRun", { params: { id: r.id } });
      }
    }
    const timeout = durationMs(state.timeouts?.delete);
    const created = await call(client, "createRun", { params: { id: state.stack_id }, body: { type: "DESTROY" } }, { id: "stack_id" });
    const deadline = Date.now() + timeout;
    let run: RunDetail = await call(client, "getRun", { params: { id: created.id } });
    while (!TERMINAL.has(run.state)) {
      if (Date.now() > deadline) throw new TfPluginError("resource", `the DESTROY run ${run.id} of stack ${state.stack_id} is still ${run.state} after ${state.timeouts?.delete ?? "30m"}`, { detail: "it goes on in Gantry; destroy again once it has finished, or raise timeouts.delete" });
      await new Promise((r) => setTimeout(r, 2000));
      run = await call(client, "getRun", { params: { id: created.id } });
    }
    if (run.state !== "FINISHED") {
      throw new TfPluginError("resource", `the DESTROY run ${run.id} of stack ${state.stack_id} ended ${run.state}${run.failureReason ? `: ${run.failureReason}` : ""}`, { detail: "the stack's resources were not destroyed; read the run's log, fix it and destroy again (or set deactivated = true to skip)" });
    }
  },
  import: ({ id }) => ({ id, stack_id: id }),
});
