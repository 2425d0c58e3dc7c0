import { GantryApiError } from "@gantry/contract/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";

/** Drift detection and scheduled tasks/destroys/deletes of a stack, with "check drift now" for writers. */
export function StackAutomation({ stackId, canWrite }: { stackId: string; canWrite: boolean }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const drift = useQuery({
    queryKey: ["drift-detection", stackId],
    // A stack without drift detection answers 404: that is "not set up", not an error.
    queryFn: () => call("getDriftDetection", { params: { id: stackId } }).catch((e: unknown) => { if (e instanceof GantryApiError && e.status === 404) return null; throw e; }),
  });
  const schedules = useQuery({ queryKey: ["schedules", stackId], queryFn: () => call("listSchedules", { params: { id: stackId } }) });
  const check = useMutation({
    mutationFn: () => call("createDriftCheck", { params: { id: stackId } }),
    onSuccess: (run) => { void qc.invalidateQueries({ queryKey: ["stack-runs", stackId] }); void navigate({ to: "/stacks/$stackId/runs/$runId", params: { stackId, runId: run.id } }); },
  });
  return (
    <section aria-labelledby="automation-h">
      <h2 id="automation-h">Drift detection and schedules</h2>
      {drift.error ? <ErrorBox error={drift.error} /> : drift.data === undefined ? <Loading what="drift detection" /> : drift.data === null ? (
        <p className="muted">Drift detection is not set up (<code>gantry stack drift-detection set</code> or the Terraform provider).</p>
      ) : (
        <p>
          Drift detection on <code>{drift.data.schedule.join(", ")}</code> ({drift.data.timezone}){drift.data.reconcile ? ", reconciling drift with a tracked run" : ""}.
          {" "}Next <TimeAgo at={drift.data.nextRunAt} />, last <TimeAgo at={drift.data.lastRunAt} />.
        </p>
      )}
      {canWrite ? <button type="button" disabled={check.isPending} onClick={() => check.mutate()}>Check drift now</button> : null}
      {check.error ? <ErrorBox error={check.error} /> : null}
      {schedules.data && schedules.data.items.length > 0 ? (
        <table>
          <thead><tr><th scope="col">Scheduled</th><th scope="col">When</th><th scope="col">Next</th><th scope="col">Last run</th></tr></thead>
          <tbody>
            {schedules.data.items.map((s) => (
              <tr key={s.id}>
                <td>{s.kind}{s.command ? <> <code>{s.command}</code></> : null}{s.deleteResources ? " (destroys resources first)" : ""}</td>
                <td>{s.every ? <code>{s.every.join(", ")}</code> : <TimeAgo at={s.at} />} <span className="muted">{s.timezone}</span></td>
                <td><TimeAgo at={s.nextRunAt} /></td>
                <td>{s.lastRunId ? <a href={`/stacks/${stackId}/runs/${s.lastRunId}`}>{s.lastRunId.slice(-8)}</a> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : schedules.data ? <p className="muted">No scheduled tasks, destroys or deletes.</p> : null}
    </section>
  );
}
