import { endpoint } from "./endpoint.js";
import { IdParams } from "./schemas/common.js";
import { Overview } from "./schemas/overview.js";
import { POLICY_REQUEST_MAX_BYTES } from "./schemas/policy.js";
import { CheckPolicy, PolicyCheck, RunPlan, StackResources } from "./schemas/views.js";

const authenticated = { kind: "authenticated" } as const;
const read = { kind: "space", role: "read" } as const;

/** Read models made for dashboards (the web UI); filtered to what the caller can read. */
export const uiEndpoints = {
  getOverview: endpoint({ method: "GET", path: "/api/v1/overview", tag: "overview", summary: "stacks by state, runs in progress and waiting for people, recent failures, worker pool load", access: authenticated, response: Overview }),
  getRunPlan: endpoint({ method: "GET", path: "/api/v1/runs/{id}/plan", tag: "runs", summary: "the run's plan as resource changes with attribute diffs (sensitive and write-only values withheld)", access: read, params: IdParams, response: RunPlan }),
  stackResources: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/resources", tag: "state", summary: "resource addresses of the stack's latest managed state (no attribute values)", access: read, params: IdParams, response: StackResources }),
  checkPolicy: endpoint({ method: "POST", path: "/api/v1/policies/check", tag: "policies", summary: "compile a policy body (and run its tests) without saving it: errors with row and column", access: authenticated, body: CheckPolicy, response: PolicyCheck, bodyLimit: POLICY_REQUEST_MAX_BYTES }),
};
