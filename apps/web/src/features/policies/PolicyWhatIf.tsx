import type { Policy, PolicySimulation, SimulatedInput } from "@gantry/contract";
import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { ErrorBox, TimeAgo } from "../../app/ui.js";

/**
 * Policy types whose inputs are recorded on runs (the server's own list): LOGIN and ACCESS
 * policies decide requests, so there is nothing recorded to replay them on.
 */
const SIMULATABLE = new Set(["PLAN", "APPROVAL", "INITIALIZATION", "TASK", "TRIGGER", "GIT_PUSH", "NOTIFICATION"]);

const DENYING = new Set(["deny", "reject"]);

/** A decision's tone: a draft that newly denies a run is what a policy author must not miss. */
function outcomeTone(outcome: string): string {
  if (DENYING.has(outcome) || outcome === "error") return "bad";
  if (outcome === "warn" || outcome === "undecided") return "wait";
  return "ok";
}

function Outcome({ outcome }: { outcome: string }) {
  return <span className={`badge state-${outcomeTone(outcome)}`}>{outcome}</span>;
}

function changed(r: SimulatedInput): boolean {
  return r.oldOutcome !== r.newOutcome || r.appeared.length > 0 || r.disappeared.length > 0;
}

/**
 * What-if: replays `body` (the draft being written, or the saved body) on the inputs recorded
 * on recent runs of the stacks the policy applies to, and lists the runs whose decision would
 * change. Nothing is saved; the server skips (and only counts) stacks the person cannot read.
 * `regoVersion` is the tried body's version (the one chosen, or detected by the last check).
 */
export function PolicyWhatIf({ policy, body, regoVersion = policy.regoVersion }: { policy: Policy; body: string; regoVersion?: Policy["regoVersion"] }) {
  const [last, setLast] = useState(10);
  const [showAll, setShowAll] = useState(false);
  const simulate = useMutation({
    mutationFn: () => call("simulatePolicy", { params: { id: policy.id }, body: { body, regoVersion, last } }),
  });
  if (!SIMULATABLE.has(policy.type)) {
    return <p className="muted">What-if is not available for {policy.type} policies: they decide requests, and Gantry records inputs only for policies evaluated on runs.</p>;
  }
  const sim = simulate.data;
  return (
    <section aria-labelledby="whatif-h">
      <h2 id="whatif-h">What-if</h2>
      <p className="muted">Replays {body === policy.body && regoVersion === policy.regoVersion ? "the saved body" : `the draft (as ${regoVersion === "V0" ? "Rego v0" : "Rego v1"})`} on the inputs recorded on recent runs of the stacks this policy applies to, and compares its decisions with the saved body's. Nothing is saved.</p>
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); simulate.mutate(); }}>
        <div>
          <label htmlFor="whatif-last">Recorded inputs per stack</label>
          <input id="whatif-last" type="number" min={1} max={1000} value={last} onChange={(e) => setLast(Math.max(1, Number(e.target.value) || 1))} />
        </div>
        <button type="submit" disabled={simulate.isPending}>{simulate.isPending ? "Simulating…" : "Simulate against recorded runs"}</button>
      </form>
      {simulate.error ? <ErrorBox error={simulate.error} /> : null}
      {sim ? <SimulationResult sim={sim} showAll={showAll} setShowAll={setShowAll} /> : null}
    </section>
  );
}

function SimulationResult({ sim, showAll, setShowAll }: { sim: PolicySimulation; showAll: boolean; setShowAll: (v: boolean) => void }) {
  const rows = showAll ? sim.results : sim.results.filter(changed);
  const s = sim.summary;
  return (
    <div>
      <p role="status" aria-live="polite"><strong>{s.text}</strong></p>
      <ul className="cards" aria-label="what-if summary">
        <li className="card"><span className="n">{s.inputs}</span> inputs replayed from {s.stacks} stack{s.stacks === 1 ? "" : "s"}</li>
        <li className="card"><span className="n">{s.changed}</span> decisions change</li>
        <li className="card"><span className="n">{s.newlyDenied.inputs}</span> newly denied ({s.newlyDenied.stacks} stack{s.newlyDenied.stacks === 1 ? "" : "s"})</li>
        <li className="card"><span className="n">{s.newlyAllowed.inputs}</span> newly allowed ({s.newlyAllowed.stacks} stack{s.newlyAllowed.stacks === 1 ? "" : "s"})</li>
      </ul>
      {sim.skipped.stacks > 0 ? <p className="muted">{sim.skipped.inputs} recorded input{sim.skipped.inputs === 1 ? "" : "s"} of {sim.skipped.stacks} stack{sim.skipped.stacks === 1 ? "" : "s"} you cannot read were not replayed.</p> : null}
      <label className="inline"><input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show unchanged decisions too</label>
      {rows.length === 0 ? <p className="muted">{sim.results.length === 0 ? "No recorded inputs to replay yet: runs of the stacks this policy applies to record them." : "No decision would change."}</p> : (
        <table aria-label="what-if decisions">
          <thead><tr><th scope="col">Run</th><th scope="col">Recorded</th><th scope="col">Saved body</th><th scope="col">Draft</th><th scope="col">What changes</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.runId}/${r.recordedAt}`}>
                <td><Link to="/stacks/$stackId/runs/$runId" params={{ stackId: r.stackId, runId: r.runId }}>{r.stackId} {r.runId.slice(-8)}</Link></td>
                <td><TimeAgo at={r.recordedAt} /></td>
                <td><Outcome outcome={r.oldOutcome} /></td>
                <td><Outcome outcome={r.newOutcome} /></td>
                <td>
                  {r.appeared.length + r.disappeared.length === 0 ? <span className="muted">same</span> : (
                    <ul className="checks">
                      {r.appeared.map((m) => <li key={`+${m}`}><span className="sr-only">new: </span><span aria-hidden="true">+ </span>{m}</li>)}
                      {r.disappeared.map((m) => <li key={`-${m}`} className="muted"><span className="sr-only">gone: </span><span aria-hidden="true">− </span>{m}</li>)}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
