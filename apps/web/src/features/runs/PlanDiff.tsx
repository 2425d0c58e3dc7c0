import type { PlanAction, RunPlan } from "@gantry/contract";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { ErrorBox, Loading } from "../../app/ui.js";

const sign: Record<PlanAction, string> = { create: "+", update: "~", replace: "-/+", delete: "-", read: "<=", "no-op": " ", forget: "." };
const tone: Record<PlanAction, string> = { create: "ok", update: "wait", replace: "bad", delete: "bad", read: "idle", "no-op": "idle", forget: "idle" };

/** A value as terraform's plan output prints it: strings quoted, structures as compact JSON. */
function shown(v: unknown): string {
  if (v === null || v === undefined) return "null";
  return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
}

function Value({ value, sensitive, unknown }: { value: unknown; sensitive: boolean; unknown?: boolean }) {
  if (sensitive) return <em className="muted">(sensitive value)</em>;
  if (unknown) return <em className="muted">(known after apply)</em>;
  return <code>{shown(value)}</code>;
}

/**
 * The plan as a reviewer reads it: each resource the run adds, changes, replaces or deletes, with
 * the attributes that change. Sensitive and write-only values never reach the browser (the server
 * withholds them); they show as "(sensitive value)".
 */
export function PlanDiff({ runId, state }: { runId: string; state: string }) {
  // Refetched as the run moves: the plan appears once the run has planned.
  const plan = useQuery({ queryKey: ["run-plan", runId, state], queryFn: () => call("getRunPlan", { params: { id: runId } }) });
  return (
    <section aria-labelledby="plan-h">
      <h2 id="plan-h">Plan</h2>
      {plan.error ? <ErrorBox error={plan.error} /> : !plan.data ? <Loading what="the plan" /> : <PlanBody plan={plan.data} />}
    </section>
  );
}

function PlanBody({ plan }: { plan: RunPlan }) {
  if (!plan.available) return <p className="muted">No plan yet: it appears here once the run has planned.</p>;
  const s = plan.summary;
  if (plan.resources.length === 0 && plan.outputs.length === 0) return <p>No changes. The infrastructure matches the configuration.</p>;
  return (
    <>
      <p role="status"><strong>{s.create}</strong> to add, <strong>{s.update}</strong> to change, <strong>{s.replace}</strong> to replace, <strong>{s.delete}</strong> to delete.</p>
      {plan.resources.map((r) => (
        <details key={r.address} className="plan-resource" open={plan.resources.length <= 20}>
          <summary>
            <span className={`badge state-${tone[r.action]}`}>{sign[r.action]} {r.action}</span> <code>{r.address}</code>
            {r.actionReason ? <span className="muted"> ({r.actionReason.replaceAll("_", " ")})</span> : null}
          </summary>
          {r.attributes.length === 0 ? <p className="muted">No attribute changes shown.</p> : (
            <table className="diff">
              <caption className="sr-only">attributes of {r.address}</caption>
              <thead><tr><th scope="col">Attribute</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
              <tbody>
                {r.attributes.map((a) => (
                  <tr key={a.name}>
                    <th scope="row"><code>{a.name}</code>{r.replacePaths.includes(a.name) ? <span className="badge state-bad" title="changing this attribute forces a replacement"> forces replacement</span> : null}</th>
                    <td>{r.action === "create" ? <span className="muted">—</span> : <Value value={a.before} sensitive={a.sensitive} />}</td>
                    <td>{r.action === "delete" ? <span className="muted">—</span> : <Value value={a.after} sensitive={a.sensitive} unknown={a.unknownAfter} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </details>
      ))}
      {plan.outputs.length > 0 ? (
        <table className="diff">
          <caption>Outputs</caption>
          <thead><tr><th scope="col">Output</th><th scope="col">Change</th><th scope="col">After</th></tr></thead>
          <tbody>
            {plan.outputs.map((o) => (
              <tr key={o.name}><th scope="row"><code>{o.name}</code></th><td>{o.action}</td><td><Value value={o.after} sensitive={o.sensitive} unknown={o.unknownAfter} /></td></tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
