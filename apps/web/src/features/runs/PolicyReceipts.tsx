import type { PolicyReceipt } from "@gantry/contract";
import { Link } from "@tanstack/react-router";

const tone = (outcome: string) => (outcome === "deny" || outcome === "reject" || outcome === "error" ? "bad" : outcome === "warn" || outcome === "undecided" ? "wait" : "ok");

/** The id of the Explain button of a policy, so closing its trace can give it the focus back. */
export const explainButtonId = (policyId: string) => `explain-${policyId.replace(/\W/g, "-")}`;

/**
 * The policies that decided about a run, with their outcome and messages. The latest receipt of
 * each policy has an "Explain" button: the server traces a policy over the input its latest
 * receipt recorded, so older receipts of the same policy (an approval policy evaluated at every
 * review) have none.
 */
export function PolicyReceipts({ receipts, explaining, onExplain }: {
  receipts: PolicyReceipt[]; explaining: PolicyReceipt | null; onExplain: (r: PolicyReceipt | null) => void;
}) {
  const latest = new Map<string, PolicyReceipt>();
  for (const r of receipts) if (!latest.has(r.policyId) || latest.get(r.policyId)!.id < r.id) latest.set(r.policyId, r);
  return (
    <section aria-labelledby="receipts-h">
      <h2 id="receipts-h">Policy decisions</h2>
      {receipts.length === 0 ? <p className="muted">No policy evaluated this run.</p> : (
        <table>
          <thead><tr><th scope="col">Policy</th><th scope="col">Type</th><th scope="col">Outcome</th><th scope="col">Messages</th><th scope="col">Trace</th></tr></thead>
          <tbody>
            {receipts.map((p) => (
              <tr key={p.id}>
                <td><Link to="/policies/$policyId" params={{ policyId: p.policyId }}>{p.policyName}</Link></td>
                <td>{p.type}</td>
                <td><span className={`badge state-${tone(p.outcome)}`}>{p.outcome}</span></td>
                <td>{Object.entries(p.messages).flatMap(([rule, ms]) => ms.map((m, i) => <div key={`${rule}${i}`}><strong>{rule}:</strong> {m}</div>))}</td>
                <td>
                  {latest.get(p.policyId) === p ? (
                    <button type="button" id={explainButtonId(p.policyId)} aria-expanded={explaining?.policyId === p.policyId} aria-label={`Explain ${p.policyName}`}
                      onClick={() => onExplain(explaining?.policyId === p.policyId ? null : p)}>Explain</button>
                  ) : <span className="muted">see its latest</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
