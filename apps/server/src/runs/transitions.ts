import { terminalRunStates, type RunState, type RunType, type TransitionCause } from "@gantry/contract";

/** Something that happens to a run. The run's next state is decided by {@link decide} alone. */
export type RunEvent =
  | { kind: "promote" }
  | { kind: "claim" }
  | { kind: "advance"; to: RunState }
  | { kind: "planned"; changes: boolean; denied: boolean; warnings: boolean; autodeploy: boolean; approvalPolicies: boolean }
  | { kind: "finish" }
  | { kind: "fail"; by: TransitionCause }
  | { kind: "confirm"; by?: TransitionCause }
  | { kind: "discard" }
  | { kind: "cancel" }
  | { kind: "stop" }
  | { kind: "skip" }
  | { kind: "approve" }
  | { kind: "reject" };

export type Decision = { ok: true; to: RunState; cause: TransitionCause } | { ok: false; reason: string };

const causeOf: Record<RunEvent["kind"], TransitionCause> = {
  promote: "scheduler", claim: "worker", advance: "worker", planned: "worker", finish: "worker", fail: "worker",
  confirm: "user", discard: "user", cancel: "user", stop: "user", skip: "scheduler", approve: "policy", reject: "policy",
};

export const isTerminal = (s: RunState): boolean => terminalRunStates.includes(s);

/** TRACKED, TASK, DESTROY (and TESTING) runs hold the stack's exclusive lock; PROPOSED runs do not. */
export const isBlocking = (type: RunType): boolean => type !== "PROPOSED";

/** The state in which a run changes infrastructure. */
export const applyingState = (type: RunType): RunState => (type === "DESTROY" ? "DESTROYING" : "APPLYING");

/** Phase moves a worker may report on its own, by run type. */
function workerMoves(type: RunType, from: RunState): RunState[] {
  switch (from) {
    case "PREPARING": return ["INITIALIZING"];
    case "INITIALIZING": return [type === "TASK" ? "PERFORMING" : "PLANNING"];
    case "CONFIRMED": return type === "TASK" || type === "PROPOSED" ? [] : [applyingState(type)];
    // A module test always destroys what it applied, also when the apply failed.
    case "APPLYING": return type === "TESTING" ? ["DESTROYING"] : [];
    default: return [];
  }
}

/** Where a finished plan leads. Denial wins; a warning or an approval policy stops autodeploy. */
function afterPlan(type: RunType, e: Extract<RunEvent, { kind: "planned" }>): RunState {
  if (e.denied) return "FAILED";
  if (type === "PROPOSED" || !e.changes) return "FINISHED";
  if (e.warnings && e.approvalPolicies) return "PENDING_REVIEW";
  // A module test runs unattended: a warning is recorded on it, and only approval policies hold it.
  if (type === "TESTING" && !e.approvalPolicies) return "APPLYING";
  // Approval policies get their say before anything is applied, autodeploy or not.
  if (e.autodeploy && !e.warnings && !e.approvalPolicies) return applyingState(type);
  return "UNCONFIRMED";
}

const refuse = (reason: string): Decision => ({ ok: false, reason });

/**
 * The one place that decides which moves of a run are legal: a pure function of the run's type,
 * its state and the event. Refusals are data with a reason a person can read.
 */
export function decide(run: { type: RunType; state: RunState }, event: RunEvent): Decision {
  const { type, state } = run;
  const cause = event.kind === "fail" ? event.by : event.kind === "confirm" && event.by ? event.by : causeOf[event.kind];
  const ok = (to: RunState): Decision => ({ ok: true, to, cause });
  if (isTerminal(state)) return refuse(`the run is already ${state}`);
  switch (event.kind) {
    case "promote":
      return state === "QUEUED" ? ok("READY") : refuse(`only a QUEUED run can become READY; this one is ${state}`);
    case "skip":
      return state === "QUEUED" ? ok("SKIPPED") : refuse(`only a QUEUED run can be skipped; this one is ${state}`);
    case "claim":
      return state === "READY" ? ok("PREPARING") : refuse(`only a READY run can be claimed; this one is ${state}`);
    case "advance":
      return workerMoves(type, state).includes(event.to) ? ok(event.to) : refuse(`a ${type} run cannot move from ${state} to ${event.to}`);
    case "planned":
      return state === "PLANNING" ? ok(afterPlan(type, event)) : refuse(`a plan can only be reported while PLANNING; the run is ${state}`);
    case "finish":
      return ["APPLYING", "PERFORMING", "DESTROYING"].includes(state) ? ok("FINISHED") : refuse(`a run cannot finish from ${state}`);
    case "fail":
      return ok("FAILED");
    case "confirm":
      if (type === "PROPOSED" || type === "TASK") return refuse(`${type} runs have nothing to confirm`);
      return state === "UNCONFIRMED" ? ok("CONFIRMED") : refuse(`only an UNCONFIRMED run can be confirmed; this one is ${state}`);
    case "discard":
      return state === "UNCONFIRMED" || state === "PENDING_REVIEW" ? ok("DISCARDED") : refuse(`only an UNCONFIRMED or PENDING_REVIEW run can be discarded; this one is ${state}: stop or cancel it instead`);
    case "cancel":
      return state === "QUEUED" || state === "READY" ? ok("CANCELED") : refuse(`only a run that has not started (QUEUED or READY) can be canceled; this one is ${state}: stop it instead`);
    case "stop":
      return ["PREPARING", "INITIALIZING", "PLANNING", "CONFIRMED", "APPLYING", "PERFORMING", "DESTROYING"].includes(state)
        ? ok("STOPPED")
        : refuse(`only a run a worker is executing can be stopped; this one is ${state}${state === "QUEUED" || state === "READY" ? ": cancel it instead" : ""}`);
    case "approve":
      return state === "PENDING_REVIEW" ? ok("UNCONFIRMED") : refuse(`only a PENDING_REVIEW run can be approved into UNCONFIRMED; this one is ${state}`);
    case "reject":
      if (state === "QUEUED") return ok("FAILED");
      return state === "UNCONFIRMED" || state === "PENDING_REVIEW" ? ok("DISCARDED") : refuse(`a run cannot be rejected while ${state}`);
  }
}
