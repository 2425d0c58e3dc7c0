import type { PolicyExplanation, PolicyReceipt } from "@gantry/contract";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { call } from "../../app/api.js";
import { Loading, TimeAgo } from "../../app/ui.js";
import { TraceView } from "./TraceView.js";

type Mode = PolicyExplanation["mode"];
type Body = PolicyExplanation["body"];
const modes: { value: Mode; label: string }[] = [
  { value: "full", label: "Full: every step of the evaluation but unifications" },
  { value: "debug", label: "Debug: every step, unifications included" },
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
  const [body, setBody] = useState<Body>("decided");
  const heading = useRef<HTMLHeadingElement>(null);
  const trace = useQuery({
    queryKey: ["policy-trace", runId, receipt.policyId, mode, body],
    queryFn: () => call("explainRunPolicy", { params: { id: runId, policyId: receipt.policyId }, query: { mode, body } }),
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
        OPA's evaluation trace (<code>opa eval --explain</code>) of the policy over the input its latest receipt on this run recorded.
      </p>
      <div className="toolbar">
        <div>
          <label htmlFor="trace-mode">What to show</label>
          <select id="trace-mode" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            {modes.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="trace-body">Which body</label>
          <select id="trace-body" value={body} onChange={(e) => setBody(e.target.value as Body)}>
            <option value="decided">The one that decided the run</option>
            <option value="current">The policy as it is now (what an edit would have said)</option>
          </select>
        </div>
        <button type="button" onClick={onClose}>Close the trace</button>
      </div>
      {trace.error ? <p role="alert" className="error"><strong>No trace.</strong> {trace.error.message}</p> : !x ? <Loading what="the trace" /> : (
        <>
          <p>{x.type} policy, decided <strong>{x.outcome}</strong> <TimeAgo at={x.evaluatedAt} /> (receipt <code>{x.receiptId}</code>).
            Traced: policy version <code>{x.tracedVersion}</code>{x.decidingVersion && x.decidingVersion !== x.tracedVersion ? <>; version <code>{x.decidingVersion}</code> decided</> : x.decidingVersion ? ", the one that decided" : null}.</p>
          {x.body === "decided" && x.tracedVersion !== x.decidingVersion && (
            <p role="note" className="warning">
              This traces the policy's <strong>current</strong> body: {x.decidingVersion
                ? <>the body that decided (version <code>{x.decidingVersion}</code>) was saved before Gantry kept policy bodies.</>
                : <>the run was evaluated before Gantry recorded policy versions.</>} Its result may differ from what the run saw.
            </p>
          )}
          {x.trace.trim() === "" ? <p className="muted">The trace is empty in this mode{mode === "notes" ? ": the policy calls no trace()" : ""}.</p> : (
            <TraceView key={`${mode}-${body}`} text={x.trace} label={`evaluation trace of ${receipt.policyName}`} idPrefix="trace" />
          )}
        </>
      )}
    </section>
  );
}
