import type { RunState } from "@gantry/contract";
import type { CommitState } from "../github/client.js";

/** The commit status a run state shows on GitHub, or null when the state adds nothing worth a call. */
export function commitStatusFor(state: RunState, type: string): { state: CommitState; description: string } | null {
  switch (state) {
    case "QUEUED": return { state: "pending", description: `${type.toLowerCase()} run queued` };
    case "PLANNING": return { state: "pending", description: "planning" };
    case "UNCONFIRMED": return { state: "pending", description: "planned: waiting for confirmation" };
    case "PENDING_REVIEW": return { state: "pending", description: "planned: waiting for approval" };
    case "APPLYING": return { state: "pending", description: "applying" };
    case "FINISHED": return { state: "success", description: type === "PROPOSED" ? "plan succeeded" : "applied" };
    case "FAILED": return { state: "failure", description: "run failed" };
    case "DISCARDED": return { state: "failure", description: "run discarded" };
    case "STOPPED": return { state: "error", description: "run stopped" };
    case "CANCELED": return { state: "error", description: "run canceled" };
    case "SKIPPED": return { state: "error", description: "run skipped" };
    default: return null;
  }
}
