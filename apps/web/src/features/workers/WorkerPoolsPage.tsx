import { useQuery } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { ErrorBox, Loading, StateBadge, TimeAgo } from "../../app/ui.js";
import { QueueDepthChart, useQueueHistory } from "./QueueDepth.js";
import { NewWorkerPoolForm, WorkerPoolActions } from "./WorkerPoolAdmin.js";

/** Worker pools with their workers (status, current run, heartbeat) and the queue depth over time; admins create, re-token and delete pools. */
export function WorkerPoolsPage() {
  const pools = useQuery({ queryKey: ["worker-pools"], queryFn: () => call("listWorkerPools", {}) });
  const history = useQueueHistory();
  if (pools.error) return <ErrorBox error={pools.error} />;
  if (!pools.data) return <Loading what="worker pools" />;
  return (
    <>
      <h1>Worker pools</h1>
      <QueueDepthChart history={history} />
      <p className="muted">Stacks without a worker pool run on the built-in pool (the server's own workers).</p>
      {pools.data.items.length === 0 ? <p className="muted">No private worker pools.</p> : null}
      {pools.data.items.map((p) => <Pool key={p.id} id={p.id} name={p.name} spaceId={p.spaceId} description={p.description} />)}
      <NewWorkerPoolForm />
    </>
  );
}

function Pool({ id, name, spaceId, description }: { id: string; name: string; spaceId: string; description: string }) {
  const workers = useQuery({ queryKey: ["workers", id], queryFn: () => call("listWorkers", { params: { id } }), refetchInterval: 5_000 });
  return (
    <section aria-labelledby={`pool-${id}`}>
      <h2 id={`pool-${id}`}>{name} <span className="muted">({id}, space {spaceId})</span></h2>
      {description ? <p>{description}</p> : null}
      <WorkerPoolActions id={id} name={name} spaceId={spaceId} />
      {workers.error ? <ErrorBox error={workers.error} /> : !workers.data ? <Loading what="workers" /> : workers.data.items.length === 0 ? <p className="muted">No worker has registered in this pool.</p> : (
        <table>
          <thead><tr><th scope="col">Worker</th><th scope="col">Status</th><th scope="col">Current run</th><th scope="col">Last heartbeat</th></tr></thead>
          <tbody>
            {workers.data.items.map((w) => (
              <tr key={w.id}><td>{w.name}</td><td><StateBadge state={w.status} /></td><td>{w.currentRunId ?? "—"}</td><td><TimeAgo at={w.lastHeartbeatAt} /></td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
