import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { runHref, usePlainLinks } from "../../app/plain-links.js";
import { ErrorBox, StateBadge } from "../../app/ui.js";

/**
 * "Deploy": a tracked run of the stack and, with its dependents, one of every stack downstream
 * (all queued or none; each waits for its upstreams). Lists the runs it queued, live, each a link.
 */
export function StackDeploy({ stackId, dependents }: { stackId: string; dependents: number }) {
  const qc = useQueryClient();
  const links = usePlainLinks();
  const [withDependents, setWithDependents] = useState(false);
  const deploy = useMutation({
    mutationFn: () => call("deployStack", { params: { id: stackId }, body: { withDependents } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["stack-runs", stackId] }),
  });
  const queued = useQueries({
    queries: (deploy.data?.runIds ?? []).map((id) => ({ queryKey: ["run", id], queryFn: () => call("getRun", { params: { id } }), refetchInterval: 3_000 })),
  });
  return (
    <div className="deploy">
      <h3>Deploy</h3>
      <form className="toolbar" aria-label="deploy" onSubmit={(e) => { e.preventDefault(); deploy.mutate(); }}>
        <button type="submit" className="primary" disabled={deploy.isPending}>Deploy</button>
        <label className="inline" htmlFor="deploy-with-dependents">
          <input id="deploy-with-dependents" type="checkbox" checked={withDependents} onChange={(e) => setWithDependents(e.target.checked)} aria-describedby="deploy-hint" />
          with dependents
        </label>
      </form>
      <p id="deploy-hint" className="hint muted">
        A tracked run of this stack{dependents === 0 ? "; no stack depends on it yet." : `; with dependents, also one of every stack downstream (${dependents} direct), each after its upstreams, and one that fails skips what follows it.`}
      </p>
      {deploy.error ? <ErrorBox error={deploy.error} /> : null}
      {deploy.data ? (
        <div>
          <p role="status">Queued {deploy.data.runIds.length} run{deploy.data.runIds.length === 1 ? "" : "s"}, in the order they run:</p>
          <ol aria-label="queued runs" {...links}>
            {deploy.data.runIds.map((id, i) => {
              const run = queued[i]?.data;
              return (
                <li key={id}>
                  {run ? <><a href={runHref(run.stackId, id)}>{run.stackId}: run {id.slice(-8)}</a> <StateBadge state={run.state} />{run.waiting ? <span className="muted"> {run.waiting.reason}</span> : null}</> : <>run {id.slice(-8)}</>}
                </li>
              );
            })}
          </ol>
        </div>
      ) : null}
    </div>
  );
}
