import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { call } from "../../app/api.js";
import { CheckboxField, FormError, SelectField, TextField } from "../../app/forms.js";
import { FIELDS, type StackSettings } from "./stack-settings.js";
import { HooksFields } from "../../app/hooks-fields.js";
import { StackToolFields } from "./StackToolFields.js";

export { bodyOf, settingsOf, type StackSettings } from "./stack-settings.js";

/** The choices of a picker: what the person can see, plus the stored value if they cannot see it (kept, not lost). */
function pickerOptions(none: string, items: { id: string; name: string; note?: string }[] | undefined, current: string) {
  const known = items ?? [];
  const extra = current && !known.some((i) => i.id === current) ? [{ id: current, name: current, note: "not visible to you" }] : [];
  return [{ value: "", label: none }, ...[...known, ...extra].map((i) => ({ value: i.id, label: `${i.name}${i.name === i.id ? "" : ` (${i.id})`}${i.note ? `, ${i.note}` : ""}` }))];
}

/** The stack settings form, for creating (with an id) and editing; the server validates. */
export function StackForm({ initial, spaces, creating, error, pending, submitLabel, onSubmit, children }: {
  initial: StackSettings; spaces: { id: string; name: string }[]; creating: boolean; error: unknown; pending: boolean; submitLabel: string;
  onSubmit: (v: StackSettings) => void; children?: ReactNode;
}) {
  const [v, setV] = useState(initial);
  const set = <K extends keyof StackSettings>(k: K) => (x: StackSettings[K]) => setV((old) => ({ ...old, [k]: x }));
  const pools = useQuery({ queryKey: ["worker-pools"], queryFn: () => call("listWorkerPools", {}) });
  const vcs = useQuery({ queryKey: ["vcs-integrations"], queryFn: () => call("listVcsIntegrations", { query: { limit: 1000 } }) });
  const submit = (e: FormEvent) => { e.preventDefault(); onSubmit(v); };
  const spaceOptions = spaces.some((s) => s.id === v.spaceId) ? spaces : [{ id: v.spaceId, name: v.spaceId }, ...spaces];
  const terraform = v.vendor === "TERRAFORM";
  return (
    <form className="edit" onSubmit={submit} noValidate aria-label={creating ? "new stack" : "stack settings"}>
      <FormError error={error} fields={FIELDS} />
      <TextField name="name" label="Name" value={v.name} onChange={set("name")} error={error} />
      {creating ? <TextField name="id" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" /> : null}
      <TextField name="description" label="Description" multiline value={v.description} onChange={set("description")} error={error} />
      <SelectField name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={error} options={spaceOptions.map((s) => ({ value: s.id, label: s.name === s.id ? s.id : `${s.name} (${s.id})` }))} hint="only spaces where you may write are offered" />
      <fieldset>
        <legend>Source code</legend>
        <TextField name="repository" label="Repository" value={v.repository} onChange={set("repository")} error={error} hint="a git URL or a path the worker can read" />
        <TextField name="branch" label="Branch" value={v.branch} onChange={set("branch")} error={error} />
        <TextField name="projectRoot" label="Project root" value={v.projectRoot} onChange={set("projectRoot")} error={error} hint="directory of the root module inside the repository; empty for the repository root" />
        <TextField name="additionalProjectGlobs" label="Additional project globs" multiline value={v.additionalProjectGlobs} onChange={set("additionalProjectGlobs")} error={error} hint="one glob per line: pushes touching these paths outside the project root also trigger the stack" />
        <SelectField name="vcsIntegrationId" label="VCS integration" value={v.vcsIntegrationId} onChange={set("vcsIntegrationId")} error={error}
          options={pickerOptions("none: events are matched by repository", vcs.data?.items.map((i) => ({ id: i.id, name: i.name, note: i.provider })), v.vcsIntegrationId)}
          hint={vcs.error ? "the VCS integrations could not be listed" : "whose webhooks trigger the stack and which reports commit statuses"} />
      </fieldset>
      <StackToolFields v={v} set={set} error={error} />
      <SelectField name="workerPoolId" label="Worker pool" value={v.workerPoolId} onChange={set("workerPoolId")} error={error}
        options={pickerOptions("the public workers", pools.data?.items, v.workerPoolId)}
        hint={pools.error ? "the worker pools could not be listed" : "private pools of this space or a space it inherits from"} />
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated; contexts and policies labelled autoattach:<label> attach themselves" />
      <fieldset>
        <legend>Behaviour</legend>
        <CheckboxField name="autodeploy" label="Autodeploy (apply tracked runs without confirmation)" checked={v.autodeploy} onChange={set("autodeploy")} error={error} />
        <CheckboxField name="autoretry" label="Autoretry (retry proposed runs of pull requests when the stack changes)" checked={v.autoretry} onChange={set("autoretry")} error={error} />
        {terraform ? <CheckboxField name="administrative" label="Administrative (runs may manage Gantry itself)" checked={v.administrative} onChange={set("administrative")} error={error} /> : null}
        {terraform ? <CheckboxField name="manageState" label="Gantry manages the Terraform state" checked={v.manageState} onChange={set("manageState")} error={error} hint="off: the code's own backend keeps the state" /> : null}
        <CheckboxField name="enableLocalPreview" label="Local preview (gantry stack preview of uploaded code)" checked={v.enableLocalPreview} onChange={set("enableLocalPreview")} error={error} />
        <CheckboxField name="smartSanitization" label="Smart sanitization (plan policies see only sensitive values hashed)" checked={v.smartSanitization} onChange={set("smartSanitization")} error={error} />
        <CheckboxField name="protectFromDeletion" label="Protect from deletion" checked={v.protectFromDeletion} onChange={set("protectFromDeletion")} error={error} />
      </fieldset>
      <HooksFields hooks={v.hooks} onChange={(h, text) => setV((old) => ({ ...old, hooks: { ...old.hooks, [h]: text } }))} error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={pending}>{submitLabel}</button>
        {children}
      </div>
    </form>
  );
}
