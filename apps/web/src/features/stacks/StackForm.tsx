import type { Stack } from "@gantry/contract";
import { useState, type FormEvent, type ReactNode } from "react";
import { CheckboxField, FormError, SelectField, splitList, TextField } from "../../app/forms.js";

/** The settings a person edits in the UI (hooks and vendor blocks: CLI or Terraform provider). */
export interface StackSettings {
  id: string; name: string; description: string; spaceId: string; repository: string; branch: string; projectRoot: string;
  labels: string; autodeploy: boolean; autoretry: boolean; administrative: boolean; protectFromDeletion: boolean;
  workflowTool: "TERRAFORM" | "OPEN_TOFU"; terraformVersion: string; workerPoolId: string;
}

export const FIELDS = ["id", "name", "description", "spaceId", "repository", "branch", "projectRoot", "labels", "autodeploy", "autoretry", "administrative", "protectFromDeletion", "workflowTool", "terraformVersion", "workerPoolId"];

export function settingsOf(s?: Stack): StackSettings {
  return {
    id: s?.id ?? "", name: s?.name ?? "", description: s?.description ?? "", spaceId: s?.spaceId ?? "root", repository: s?.repository ?? "", branch: s?.branch ?? "main",
    projectRoot: s?.projectRoot ?? "", labels: (s?.labels ?? []).join(", "), autodeploy: s?.autodeploy ?? false, autoretry: s?.autoretry ?? false,
    administrative: s?.administrative ?? false, protectFromDeletion: s?.protectFromDeletion ?? false, workflowTool: s?.workflowTool ?? "TERRAFORM",
    terraformVersion: s?.terraformVersion ?? "", workerPoolId: s?.workerPoolId ?? "",
  };
}

/** The request body for the settings: empty optional text is "not set" (null), never "". */
export function bodyOf(v: StackSettings) {
  return {
    name: v.name, description: v.description, spaceId: v.spaceId, repository: v.repository, branch: v.branch, projectRoot: v.projectRoot,
    labels: splitList(v.labels), autodeploy: v.autodeploy, autoretry: v.autoretry, administrative: v.administrative, protectFromDeletion: v.protectFromDeletion,
    workflowTool: v.workflowTool, terraformVersion: v.terraformVersion.trim() || null, workerPoolId: v.workerPoolId.trim() || null,
  };
}

/** The stack settings form, for creating (with an id) and editing; the server validates. */
export function StackForm({ initial, spaces, creating, error, pending, submitLabel, onSubmit, children }: {
  initial: StackSettings; spaces: { id: string; name: string }[]; creating: boolean; error: unknown; pending: boolean; submitLabel: string;
  onSubmit: (v: StackSettings) => void; children?: ReactNode;
}) {
  const [v, setV] = useState(initial);
  const set = <K extends keyof StackSettings>(k: K) => (x: StackSettings[K]) => setV((old) => ({ ...old, [k]: x }));
  const submit = (e: FormEvent) => { e.preventDefault(); onSubmit(v); };
  const spaceOptions = spaces.some((s) => s.id === v.spaceId) ? spaces : [{ id: v.spaceId, name: v.spaceId }, ...spaces];
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
      </fieldset>
      <fieldset>
        <legend>Tool</legend>
        <SelectField name="workflowTool" label="Workflow tool" value={v.workflowTool} onChange={(x) => set("workflowTool")(x as StackSettings["workflowTool"])} error={error} options={[{ value: "TERRAFORM", label: "Terraform" }, { value: "OPEN_TOFU", label: "OpenTofu" }]} />
        <TextField name="terraformVersion" label="Version" value={v.terraformVersion} onChange={set("terraformVersion")} error={error} hint="an exact version such as 1.11.4; empty uses the worker's" />
        <TextField name="workerPoolId" label="Worker pool" value={v.workerPoolId} onChange={set("workerPoolId")} error={error} hint="a private worker pool's id; empty for the public workers" />
      </fieldset>
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated; contexts and policies labelled autoattach:<label> attach themselves" />
      <fieldset>
        <legend>Behaviour</legend>
        <CheckboxField name="autodeploy" label="Autodeploy (apply tracked runs without confirmation)" checked={v.autodeploy} onChange={set("autodeploy")} error={error} />
        <CheckboxField name="autoretry" label="Autoretry (retry proposed runs of pull requests when the stack changes)" checked={v.autoretry} onChange={set("autoretry")} error={error} />
        <CheckboxField name="administrative" label="Administrative (runs may manage Gantry itself)" checked={v.administrative} onChange={set("administrative")} error={error} />
        <CheckboxField name="protectFromDeletion" label="Protect from deletion" checked={v.protectFromDeletion} onChange={set("protectFromDeletion")} error={error} />
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={pending}>{submitLabel}</button>
        {children}
      </div>
    </form>
  );
}
