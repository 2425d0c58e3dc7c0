import type { PolicyType, PolicySimulation, SimulatedInput } from "@gantry/contract";

/** What one body said of one input: messages per rule, or the error it failed with. */
export interface Said {
  rules: Record<string, string[]>;
  error?: string;
}

/**
 * The rules each policy type is read by (DESIGN.md, "Runs"), in the order that names an
 * outcome: the first rule with messages wins, so a `reject` outranks an `approve` (Spacelift's
 * rule) and a `deny` a `warn`.
 */
const rulesByType: Partial<Record<PolicyType, readonly string[]>> = {
  PLAN: ["deny", "warn"],
  APPROVAL: ["reject", "approve"],
  INITIALIZATION: ["deny"],
  TASK: ["deny"],
  TRIGGER: ["trigger"],
  GIT_PUSH: ["ignore", "track", "propose", "ignore_track", "notrigger", "cancel", "lock", "unlock", "prioritize", "message"],
  NOTIFICATION: ["webhook", "slack", "inbox", "pull_request"],
};

/** Rules that refuse: an input "newly denied" is one where the tried body says one of these and the saved one did not. */
const refusing = new Set(["deny", "reject"]);

export function rulesOf(type: PolicyType): readonly string[] {
  return rulesByType[type] ?? [];
}

/** The outcome as receipts name it: the first rule with messages, else allow (undecided for APPROVAL), or error. */
export function outcomeOf(type: PolicyType, rules: readonly string[], said: Said): string {
  if (said.error !== undefined) return "error";
  return rules.find((r) => (said.rules[r] ?? []).length > 0) ?? (type === "APPROVAL" ? "undecided" : "allow");
}

const flatten = (rules: readonly string[], said: Said): Set<string> =>
  new Set(said.error !== undefined ? [`error: ${said.error}`] : rules.flatMap((r) => (said.rules[r] ?? []).map((m) => `${r}: ${m}`)));

/** The "rule: message" lines the tried body adds and removes compared with the saved one. */
export function compareSaid(rules: readonly string[], before: Said, after: Said): Pick<SimulatedInput, "appeared" | "disappeared"> {
  const a = flatten(rules, before);
  const b = flatten(rules, after);
  return { appeared: [...b].filter((m) => !a.has(m)), disappeared: [...a].filter((m) => !b.has(m)) };
}

/** A failed evaluation refuses too: policies fail closed. */
const refuses = (outcome: string) => refusing.has(outcome) || outcome === "error";

/** Counts for people: how many inputs changed, and which runs and stacks would newly be refused or let through. */
export function summarize(results: SimulatedInput[]): PolicySimulation["summary"] {
  const changed = results.filter((r) => r.oldOutcome !== r.newOutcome || r.appeared.length > 0 || r.disappeared.length > 0);
  const denied = results.filter((r) => refuses(r.newOutcome) && !refuses(r.oldOutcome));
  const allowed = results.filter((r) => refuses(r.oldOutcome) && !refuses(r.newOutcome));
  const count = (rs: SimulatedInput[]) => ({ inputs: rs.length, stacks: new Set(rs.map((r) => r.stackId)).size });
  const newlyDenied = count(denied);
  const newlyAllowed = count(allowed);
  const phrase = (verb: string, c: { inputs: number; stacks: number }) => `would newly ${verb} ${c.inputs} run${c.inputs === 1 ? "" : "s"} of ${c.stacks} stack${c.stacks === 1 ? "" : "s"}`;
  const stacks = new Set(results.map((r) => r.stackId)).size;
  const parts = [
    ...(newlyDenied.inputs ? [phrase("deny", newlyDenied)] : []),
    ...(newlyAllowed.inputs ? [phrase("allow", newlyAllowed)] : []),
  ];
  const text = results.length === 0
    ? "no recorded inputs to replay: the policy has not been evaluated on runs of stacks it applies to"
    : `${parts.length ? parts.join(", ") : "would deny and allow exactly what it does now"}; ${changed.length} of ${results.length} recorded input${results.length === 1 ? "" : "s"} of ${stacks} stack${stacks === 1 ? "" : "s"} change`;
  return { inputs: results.length, stacks, changed: changed.length, newlyDenied, newlyAllowed, text };
}
