import type { CreateSchedule, DriftDetection } from "@gantry/contract";
import { GantryApiError } from "@gantry/contract/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { EntityForm, useFormState } from "../../app/entity-form.js";
import { CheckboxField, SelectField, TextField } from "../../app/forms.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";

/** One cron expression a line: the server checks each and names the line (schedule.N) it refuses. */
const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);

/**
 * The stack's drift detection (set, change, stop) and its schedules (tasks, destroys, deletes:
 * create and remove), for people with the write role on the stack.
 */
export function StackScheduling({ stackId }: { stackId: string }) {
  const drift = useQuery({
    queryKey: ["drift-detection", stackId],
    // 404 is "no drift detection", not an error.
    queryFn: () => call("getDriftDetection", { params: { id: stackId } }).catch((e: unknown) => { if (e instanceof GantryApiError && e.status === 404) return null; throw e; }),
  });
  return (
    <>
      <section aria-labelledby="drift-h">
        <h2 id="drift-h">Drift detection</h2>
        {drift.error ? <ErrorBox error={drift.error} /> : drift.data === undefined ? <Loading what="drift detection" /> : <DriftForm key={drift.data?.updatedAt ?? "none"} stackId={stackId} current={drift.data} />}
      </section>
      <section aria-labelledby="schedules-h">
        <h2 id="schedules-h">Schedules</h2>
        <Schedules stackId={stackId} />
      </section>
    </>
  );
}

function DriftForm({ stackId, current }: { stackId: string; current: DriftDetection | null }) {
  const qc = useQueryClient();
  const [v, set] = useFormState({ schedule: (current?.schedule ?? []).join("\n"), timezone: current?.timezone ?? "UTC", reconcile: current?.reconcile ?? false, ignoreState: current?.ignoreState ?? false });
  const changed = () => { void qc.invalidateQueries({ queryKey: ["drift-detection", stackId] }); };
  const save = useMutation({ mutationFn: () => call("putDriftDetection", { params: { id: stackId }, body: { schedule: lines(v.schedule), timezone: v.timezone, reconcile: v.reconcile, ignoreState: v.ignoreState } }), onSuccess: changed });
  const stop = useMutation({ mutationFn: () => call("deleteDriftDetection", { params: { id: stackId } }), onSuccess: changed });
  return (
    <>
      <p className="muted">{current ? <>On: the next drift run is due <TimeAgo at={current.nextRunAt} />.</> : "Off: no drift runs are scheduled."}</p>
      <EntityForm label="drift detection" fields={["schedule", "timezone", "reconcile", "ignoreState"]} error={save.error} pending={save.isPending} submitLabel={current ? "Save drift detection" : "Turn on drift detection"} onSubmit={() => save.mutate()}>
        <TextField name="schedule" idPrefix="drift" label="Schedule (cron, one a line)" multiline value={v.schedule} onChange={set("schedule")} error={save.error} hint="e.g. 0 */4 * * * (every four hours)" />
        <TextField name="timezone" idPrefix="drift" label="Time zone" value={v.timezone} onChange={set("timezone")} error={save.error} hint="IANA name, e.g. Europe/Paris" />
        <CheckboxField name="reconcile" idPrefix="drift" label="Reconcile: queue a tracked run when drift is found" checked={v.reconcile} onChange={set("reconcile")} error={save.error} />
        <CheckboxField name="ignoreState" idPrefix="drift" label="Run even when the stack is not FINISHED" checked={v.ignoreState} onChange={set("ignoreState")} error={save.error} />
      </EntityForm>
      {current ? <p className="actions"><button type="button" className="danger" disabled={stop.isPending} onClick={() => stop.mutate()}>Turn off drift detection</button></p> : null}
      {stop.error ? <ErrorBox error={stop.error} /> : null}
    </>
  );
}

function Schedules({ stackId }: { stackId: string }) {
  const qc = useQueryClient();
  const schedules = useQuery({ queryKey: ["schedules", stackId], queryFn: () => call("listSchedules", { params: { id: stackId } }) });
  const changed = () => void qc.invalidateQueries({ queryKey: ["schedules", stackId] });
  const remove = useMutation({ mutationFn: (scheduleId: string) => call("deleteSchedule", { params: { id: stackId, scheduleId } }), onSuccess: changed });
  const [v, set] = useFormState({ kind: "TASK" as CreateSchedule["kind"], command: "", every: "", at: "", timezone: "UTC", deleteResources: true });
  const [created, setCreated] = useState(false);
  const create = useMutation({
    mutationFn: () => {
      const at = v.at.trim() ? (Number.isNaN(Date.parse(v.at)) ? v.at : new Date(v.at).toISOString()) : undefined;
      const body: CreateSchedule = {
        kind: v.kind, timezone: v.timezone, ...(lines(v.every).length ? { every: lines(v.every) } : {}), ...(at ? { at } : {}),
        ...(v.kind === "TASK" ? { command: v.command } : {}), ...(v.kind === "DELETE" ? { deleteResources: v.deleteResources } : {}),
      };
      return call("createSchedule", { params: { id: stackId }, body });
    },
    onSuccess: () => { setCreated(true); changed(); },
  });
  if (schedules.error) return <ErrorBox error={schedules.error} />;
  if (!schedules.data) return <Loading what="schedules" />;
  const items = schedules.data.items;
  return (
    <>
      {items.length === 0 ? <p className="muted">No schedules.</p> : (
        <table aria-label="schedules">
          <thead><tr><th scope="col">Kind</th><th scope="col">When</th><th scope="col">Next due</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td>{s.kind}{s.command ? <> <code>{s.command}</code></> : null}{s.kind === "DELETE" ? <span className="muted">{s.deleteResources ? " (destroys resources first)" : " (keeps resources)"}</span> : null}</td>
                <td>{s.every ? <code>{s.every.join(", ")}</code> : s.at ? <TimeAgo at={s.at} /> : null} <span className="muted">{s.timezone}</span></td>
                <td>{s.nextRunAt ? <TimeAgo at={s.nextRunAt} /> : <span className="muted">waiting on its destroy run</span>}</td>
                <td><button type="button" disabled={remove.isPending} onClick={() => remove.mutate(s.id)}>Remove schedule {s.id}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
      <h3>New schedule</h3>
      <EntityForm label="new schedule" fields={["kind", "command", "every", "at", "timezone", "deleteResources"]} error={create.error} pending={create.isPending} submitLabel="Create schedule" onSubmit={() => { setCreated(false); create.mutate(); }}>
        <SelectField name="kind" idPrefix="schedule" label="What" value={v.kind} onChange={(x) => set("kind")(x as CreateSchedule["kind"])} error={create.error}
          options={[{ value: "TASK", label: "run a task (a command)" }, { value: "DESTROY", label: "queue a destroy run" }, { value: "DELETE", label: "delete the stack" }]} />
        {v.kind === "TASK" ? <TextField name="command" idPrefix="schedule" label="Command" value={v.command} onChange={set("command")} error={create.error} /> : null}
        <TextField name="every" idPrefix="schedule" label="Every (cron, one a line)" multiline value={v.every} onChange={set("every")} error={create.error} hint="recurring; leave empty and give a time below for a one-shot (a delete is always one-shot)" />
        <TextField name="at" idPrefix="schedule" label="At (one-shot)" type="datetime-local" value={v.at} onChange={set("at")} error={create.error} hint="in your browser's time zone" />
        <TextField name="timezone" idPrefix="schedule" label="Time zone of the cron expressions" value={v.timezone} onChange={set("timezone")} error={create.error} />
        {v.kind === "DELETE" ? <CheckboxField name="deleteResources" idPrefix="schedule" label="Destroy the resources first" checked={v.deleteResources} onChange={set("deleteResources")} error={create.error} /> : null}
      </EntityForm>
      {created && !create.error ? <p role="status">Schedule created.</p> : null}
    </>
  );
}
