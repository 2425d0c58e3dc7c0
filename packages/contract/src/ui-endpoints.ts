import { endpoint } from "./endpoint.js";
import { Overview } from "./schemas/overview.js";

const authenticated = { kind: "authenticated" } as const;

/** Read models made for dashboards (the web UI's overview); filtered to what the caller can read. */
export const uiEndpoints = {
  getOverview: endpoint({ method: "GET", path: "/api/v1/overview", tag: "overview", summary: "stacks by state, runs in progress and waiting for people, recent failures, worker pool load", access: authenticated, response: Overview }),
};
