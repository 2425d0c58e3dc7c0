import { attr, t } from "@gantry/tfplugin";
import { call, callOrNull } from "../api.js";
import { kit } from "../kit.js";

/**
 * `gantry_run`: triggers a run of a stack when created, and again whenever `keepers` (or the
 * stack, commit or kind) change, which Terraform does by replacing it. Like Spacelift's
 * `spacelift_run`, it is a trigger, not a mirror of the run: reading keeps the state as it is
 * (a finished run is still a run that happened) and destroying it does nothing. Importing a run
 * id reads its stack and kind from the API.
 */
export const run = kit.resource({
  description: "Triggers a run of a stack (on create, and again when keepers change).",
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true, description: "the run's id" }),
    stack_id: attr.string({ required: true, requiresReplace: true }),
    commit_sha: attr.string({ optional: true, requiresReplace: true, description: "the commit to run; defaults to the head of the stack's branch" }),
    proposed: attr.bool({ optional: true, default: false, requiresReplace: true, description: "trigger a proposed run (plan only) instead of a tracked one" }),
    keepers: attr.map(t.string, { optional: true, requiresReplace: true, description: "arbitrary values; changing any triggers a new run" }),
  },
  async create({ planned, client }) {
    const r = await call(client, "createRun", {
      params: { id: planned.stack_id },
      body: { type: planned.proposed ? "PROPOSED" : "TRACKED", ...(planned.commit_sha ? { commitSha: planned.commit_sha } : {}) },
    }, { commitSha: "commit_sha", type: "proposed" });
    return { id: r.id };
  },
  async read({ state, client }) {
    // After an import only the id is known: fill in what the run was started with.
    if (state.stack_id || !state.id) return state;
    const r = await callOrNull(client, "getRun", { params: { id: state.id } });
    return r && { ...state, stack_id: r.stackId, proposed: r.type === "PROPOSED" };
  },
  // Every argument replaces the resource, so there is never an in-place update to make.
  update: ({ prior }) => prior,
  delete: () => undefined,
  import: ({ id }) => ({ id }),
});
