import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { allows, useRole } from "../../app/roles.js";
import { ErrorBox, Facts, Loading, TimeAgo } from "../../app/ui.js";
import { WorkerPoolActions } from "./WorkerPoolAdmin.js";
import { WorkersTable } from "./WorkersTable.js";

/** One private worker pool at its own address: its settings, its workers, and its admin actions. */
export function WorkerPoolPage() {
  const { poolId } = useParams({ from: "/worker-pools/$poolId" });
  const navigate = useNavigate();
  const pool = useQuery({ queryKey: ["worker-pool", poolId], queryFn: () => call("getWorkerPool", { params: { id: poolId } }) });
  const role = useRole(pool.data?.spaceId);
  if (pool.error) return <ErrorBox error={pool.error} />;
  if (!pool.data) return <Loading what="the worker pool" />;
  const p = pool.data;
  return (
    <>
      <p className="muted"><Link to="/worker-pools">Worker pools</Link></p>
      <h1>{p.name} <span className="muted">(worker pool)</span></h1>
      {p.description ? <p>{p.description}</p> : null}
      <Facts items={[["Id", <code key="id">{p.id}</code>], ["Space", p.spaceId], ["Created", <TimeAgo key="c" at={p.createdAt} />], ["Updated", <TimeAgo key="u" at={p.updatedAt} />]]} />
      <p className="muted">Stacks of space {p.spaceId} (and of spaces inheriting from it) run here when their settings name this pool. Workers join with <code>gantry worker --pool-token …</code>.</p>
      <section aria-labelledby="workers-h">
        <h2 id="workers-h">Workers</h2>
        <WorkersTable poolId={p.id} />
      </section>
      {allows(role, "admin") ? (
        <section aria-labelledby="pool-admin-h">
          <h2 id="pool-admin-h">Administration</h2>
          <WorkerPoolActions id={p.id} name={p.name} spaceId={p.spaceId} onDeleted={() => void navigate({ to: "/worker-pools" })} />
        </section>
      ) : <p className="muted">Resetting its token or deleting it needs the admin role in space {p.spaceId}.</p>}
    </>
  );
}
