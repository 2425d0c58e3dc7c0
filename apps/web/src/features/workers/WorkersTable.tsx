import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Loading, StateBadge, TimeAgo } from "../../app/ui.js";

/** A pool's workers (status, current run, heartbeat), refreshed every 5 s. */
export function WorkersTable({ poolId }: { poolId: string }) {
  const workers = useQuery({ queryKey: ["workers", poolId], queryFn: () => call("listWorkers", { params: { id: poolId } }), refetchInterval: 5_000 });
  if (workers.error) return <ErrorBox error={workers.error} />;
  if (!workers.data) return <Loading what="workers" />;
  if (workers.data.items.length === 0) return <p className="muted">No worker has registered in this pool.</p>;
  return (
    <table>
      <thead><tr><th scope="col">Worker</th><th scope="col">Status</th><th scope="col">Current run</th><th scope="col">Last heartbeat</th><th scope="col">Registered</th></tr></thead>
      <tbody>
        {workers.data.items.map((w) => (
          <tr key={w.id}><td>{w.name}</td><td><StateBadge state={w.status} /></td><td>{w.currentRunId ? <RunLink runId={w.currentRunId} /> : "—"}</td><td><TimeAgo at={w.lastHeartbeatAt} /></td><td><TimeAgo at={w.createdAt} /></td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** A run's id as a link to its page (which needs its stack); just the id where the run cannot be read. */
function RunLink({ runId }: { runId: string }) {
  const run = useQuery({ queryKey: ["run", runId], queryFn: () => call("getRun", { params: { id: runId } }), staleTime: 60_000 });
  if (!run.data) return <code>{runId}</code>;
  return <Link to="/stacks/$stackId/runs/$runId" params={{ stackId: run.data.stackId, runId }}><code>{runId}</code></Link>;
}
