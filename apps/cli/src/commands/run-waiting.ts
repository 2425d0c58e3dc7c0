import type { RunDetail } from "@gantry/contract";
import { orDash, renderTable, type Column } from "../output.js";
import type { Session } from "../runtime.js";

/**
 * How a run's waiting is shown to people: in `run show` (reviews per state, what each approval
 * policy decided, why it waits) and while following a run (the reason once when it changes,
 * then a reminder every minute, so a follow is never silent for minutes).
 */
const reviewColumns: Column<RunDetail["reviews"][number]>[] = [
  { header: "state", value: (r) => r.state },
  { header: "author", value: (r) => r.author },
  { header: "decision", value: (r) => r.decision },
  { header: "note", value: (r) => orDash(r.note) },
  { header: "at", value: (r) => r.at },
];

const approvalColumns: Column<RunDetail["approvals"][number]>[] = [
  { header: "approval policy", value: (a) => a.policyId },
  { header: "decided", value: (a) => a.outcome },
  { header: "messages", value: (a) => orDash(Object.entries(a.messages).flatMap(([rule, ms]) => ms.map((m) => `${rule}: ${m}`)).join("; ")) },
  { header: "at", value: (a) => a.at },
];

/** The waiting, review and approval sections of `run show` (table output). */
export function printWaiting(s: Session, run: RunDetail): void {
  if (run.waiting) {
    s.p.out("");
    s.p.out(`waiting: ${run.waiting.reason}`);
    s.p.out(`next: ${run.waiting.next}`);
  }
  if (run.approvals.length) {
    s.p.out("");
    s.p.out(renderTable(run.approvals, approvalColumns));
  }
  if (run.reviews.length) {
    // Grouped by the state they were given in: approval policies read the current state's reviews apart from older ones.
    const byState = [...new Set(run.reviews.map((r) => r.state))];
    for (const state of byState) {
      s.p.out("");
      s.p.out(`reviews in ${state}:`);
      s.p.out(renderTable(run.reviews.filter((r) => r.state === state), reviewColumns));
    }
  }
}

/** Re-prints the reason a followed run waits when it changes, and at most once a minute otherwise. */
export function waitNotifier(s: Session, everyMs = 60_000): (run: RunDetail) => void {
  let last = "";
  let lastAt = 0;
  const started = Date.now();
  return (run) => {
    if (!run.waiting || s.format === "json") {
      last = "";
      return;
    }
    const text = `run ${run.id} is ${run.state}: ${run.waiting.reason}\n  next: ${run.waiting.next}`;
    const now = Date.now();
    if (text === last && now - lastAt < everyMs) return;
    s.p.err(text === last ? `still waiting (${Math.round((now - started) / 60_000)} min): ${run.waiting.reason}` : text);
    last = text;
    lastAt = now;
  };
}
