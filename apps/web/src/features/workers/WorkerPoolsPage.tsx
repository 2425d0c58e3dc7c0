import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Loading } from "../../app/ui.js";
import { QueueDepthChart, useQueueHistory } from "./QueueDepth.js";
import { NewWorkerPoolForm, WorkerPoolActions } from "./WorkerPoolAdmin.js";
import { WorkersTable } from "./WorkersTable.js";

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
  return (
    <section aria-labelledby={`pool-${id}`}>
      <h2 id={`pool-${id}`}><Link to="/worker-pools/$poolId" params={{ poolId: id }}>{name}</Link> <span className="muted">({id}, space {spaceId})</span></h2>
      {description ? <p>{description}</p> : null}
      <WorkerPoolActions id={id} name={name} spaceId={spaceId} />
      <WorkersTable poolId={id} />
    </section>
  );
}
