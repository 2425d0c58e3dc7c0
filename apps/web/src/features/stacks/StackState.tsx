import { MASKED_OUTPUT } from "@gantry/contract/browser";
import { useQuery } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";

/** Outputs of the stack's latest applied state; sensitive ones arrive masked from the server and show as such. */
export function StackOutputsSection({ stackId }: { stackId: string }) {
  const outputs = useQuery({ queryKey: ["stack-outputs", stackId], queryFn: () => call("stackOutputs", { params: { id: stackId } }) });
  return (
    <section aria-labelledby="outputs-h">
      <h2 id="outputs-h">Outputs</h2>
      {outputs.error ? <ErrorBox error={outputs.error} /> : !outputs.data ? <Loading what="outputs" /> : Object.keys(outputs.data).length === 0 ? (
        <p className="muted">No outputs yet: they appear after a tracked run applies.</p>
      ) : (
        <table>
          <thead><tr><th scope="col">Output</th><th scope="col">Value</th></tr></thead>
          <tbody>
            {Object.entries(outputs.data).map(([k, v]) => (
              <tr key={k}><td><code>{k}</code></td><td>{v === MASKED_OUTPUT ? <em className="muted">sensitive (hidden)</em> : <code>{typeof v === "string" ? v : JSON.stringify(v)}</code>}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Resource addresses of the latest managed state (values stay on the server: state holds secrets). */
export function StackResourcesSection({ stackId }: { stackId: string }) {
  const res = useQuery({ queryKey: ["stack-resources", stackId], queryFn: () => call("stackResources", { params: { id: stackId } }) });
  const d = res.data;
  return (
    <section aria-labelledby="resources-h">
      <h2 id="resources-h">Resources {d && d.resources.length ? <span className="muted">({d.resources.length})</span> : null}</h2>
      {res.error ? <ErrorBox error={res.error} /> : !d ? <Loading what="resources" /> : !d.managed ? (
        <p className="muted">This stack keeps its state in its own backend, so Gantry cannot list its resources.</p>
      ) : d.resources.length === 0 ? <p className="muted">No resources in the state yet.</p> : (
        <>
          <p className="muted">State serial {d.serial}, written <TimeAgo at={d.createdAt} />{d.runId ? ` by run ${d.runId.slice(-8)}` : ""}.</p>
          <table>
            <thead><tr><th scope="col">Address</th><th scope="col">Type</th><th scope="col">Provider</th></tr></thead>
            <tbody>
              {d.resources.map((r) => <tr key={r.address}><td><code>{r.address}</code></td><td>{r.type}{r.mode === "data" ? " (data)" : ""}</td><td className="muted">{r.providerName}</td></tr>)}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
