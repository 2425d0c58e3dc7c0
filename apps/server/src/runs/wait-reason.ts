import type { ApprovalDecision, RunWait } from "@gantry/contract";

/** What the wait explanation reads of a run. */
export interface WaitFacts {
  id: string;
  state: string;
  awaitingApproval: boolean;
  /** Why a QUEUED tracked run waits for upstream stacks (see dependencies), if it does. */
  dependencies: string | null;
  /** The blocking run of the stack a queued blocking run waits behind (it holds the stack's lock, or is older in the queue). */
  behind: { id: string; state: string } | null;
  /** The latest decision of each APPROVAL policy. */
  approvals: ApprovalDecision[];
  /** PLAN policy warnings on the run (they are why a run goes to PENDING_REVIEW). */
  warnings: string[];
}

const pending = (approvals: ApprovalDecision[]) => approvals.filter((a) => a.outcome !== "approve");

function policiesSaying(approvals: ApprovalDecision[]): string {
  return approvals.map((a) => `${a.policyId} (${a.outcome}${Object.values(a.messages).flat().length ? `: ${Object.values(a.messages).flat().join("; ")}` : ""})`).join(", ");
}

/**
 * Why a run waits and what unblocks it, in the words a person acts on; null when the run is not
 * waiting for anyone. Pure, so each state's sentence is table-tested.
 */
export function waitReason(f: WaitFacts): RunWait | null {
  const review = `gantry run review ${f.id} --approve (or --reject: a rejection wins over every approval and ends the run)`;
  if (f.state === "QUEUED" && f.awaitingApproval) {
    const undecided = pending(f.approvals);
    return {
      reason: `held in QUEUED by approval policies before it starts: ${undecided.length ? policiesSaying(undecided) : "not evaluated yet"}; each must approve`,
      next: `${review}; or cancel it: gantry run cancel ${f.id}`,
    };
  }
  if (f.state === "QUEUED" && f.dependencies) return { reason: f.dependencies, next: "it starts when they finish (a failed upstream run skips it)" };
  if (f.state === "QUEUED" && f.behind) {
    const b = f.behind;
    return {
      reason: `run ${b.id} (${b.state}) of this stack goes first: tracked, task and destroy runs take the stack's lock one at a time, oldest first`,
      next: b.state === "UNCONFIRMED" || b.state === "PENDING_REVIEW" ? `that run waits for a person: gantry run confirm ${b.id}, or gantry run discard ${b.id}` : `it starts when run ${b.id} ends (or cancel that one: gantry run cancel ${b.id})`,
    };
  }
  if (f.state === "PENDING_REVIEW") {
    const undecided = pending(f.approvals);
    return {
      reason: `plan policy warnings sent it to review${f.warnings.length ? ` (${f.warnings.join("; ")})` : ""}${undecided.length ? `; approval policies not yet approving: ${policiesSaying(undecided)}` : ""}`,
      next: `${review}; or discard it: gantry run discard ${f.id}`,
    };
  }
  if (f.state === "UNCONFIRMED") {
    const undecided = pending(f.approvals);
    return {
      reason: `planned and waiting for a person to confirm the apply${undecided.length ? `; approval policies must approve first: ${policiesSaying(undecided)}` : ""}`,
      next: `${undecided.length ? `${review}, then ` : ""}gantry run confirm ${f.id} to apply, or gantry run discard ${f.id}`,
    };
  }
  return null;
}
