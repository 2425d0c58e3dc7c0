import type { PolicyExplanation, PolicyReceipt } from "@gantry/contract";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { call } from "../../app/api.js";
import { Loading, TimeAgo } from "../../app/ui.js";
import { TraceView } from "./TraceView.js";

type Mode = PolicyExplanation["mode"];
const modes: { value: Mode; label: string }[] = [
  { value: "full", label: "Full: every step of the evaluation" },
  { value: "notes", label: "Notes: the policy's trace() calls" },
  { value: "fails", label: "Failures: the expressions that failed, with the rules leading to them" },
];

/**
 * OPA's trace of one policy over the input a run recorded for it (`explainRunPolicy`, as
 * `gantry run explain-policy`), in the mode the person picks. The trace is fetched when the panel
 * opens and dropped from the query cache when it closes (it can echo values of the input).
 */
export function PolicyTrace({ runId, receipt, onClose }: { runId: string; receipt: PolicyReceipt; onClose: () => void }) {
  const [mode, setMode] = useState<Mode>("full");
  const heading = useRef<HTMLHeadingElement>(null);
  const trace = useQuery({
    queryKey: ["policy-trace", runId, receipt.policyId, mode],
    queryFn: () => call("explainRunPolicy", { params: { id: runId, policyId: receipt.policyId }, query: { mode } }),
    staleTime: Infinity,
    gcTime: 0,
  });
  // Keyboard and screen reader users land on the trace they asked for (it renders below the table).
  useEffect(() => heading.current?.focus(), [receipt.policyId]);
  const x = trace.data;
  return (
    <section aria-labelledby="trace-h" className="trace-panel">
      <h2 id="trace-h" ref={heading} tabIndex={-1}>Trace of {receipt.policyName}</h2>
      <p className="muted">
        OPA's evaluation trace (<code>opa eval --explain</code>) of the policy's current body over the input its latest receipt on this run recorded.
        If the policy changed since the run evaluated it, the trace follows the new body.
      </p>
      <div className="toolbar">
        <div>
          <label htmlFor="trace-mode">What to show</label>
          <select id="trace-mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            {modes.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
          </select>
        </div>
        <button type="button" onClick={onClose}>Close the trace</button>
      </div>
      {trace.error ? <p role="alert" className="error"><strong>No trace.</strong> {trace.error.message}</p> : !x ? <Loading what="the trace" /> : (
        <>
          <p>{x.type} policy, decided <strong>{x.outcome}</strong> <TimeAgo at={x.evaluatedAt} /> (receipt <code>{x.receiptId}</code>).</p>
          {x.trace.trim() === "" ? <p className="muted">The trace is empty in this mode{mode === "notes" ? ": the policy calls no trace()" : ""}.</p> : (
            <TraceView key={mode} text={x.trace} label={`evaluation trace of ${receipt.policyName}`} idPrefix="trace" />
          )}
        </>
      )}
    </section>
  );
}
