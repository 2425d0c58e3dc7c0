import type { CreateModule, Module } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { DeleteSection, EntityForm, NewEntityPage, SavedNotice, spaceOptions, useFormState } from "../../app/entity-form.js";
import { CheckboxField, SelectField, splitList, TextField } from "../../app/forms.js";

interface Settings {
  id: string; name: string; terraformProvider: string; namespace: string; description: string; repository: string; branch: string; projectRoot: string;
  spaceId: string; labels: string; sharedWith: string; workerPoolId: string; protectFromDeletion: boolean; triggerConsumers: Module["triggerConsumers"]; offerFailedVersions: boolean;
}
const FIELDS = ["id", "name", "terraformProvider", "namespace", "description", "repository", "branch", "projectRoot", "spaceId", "labels", "sharedWith", "workerPoolId", "protectFromDeletion", "triggerConsumers", "offerFailedVersions"];

const settingsOf = (m?: Module): Settings => ({
  id: m?.id ?? "", name: m?.name ?? "", terraformProvider: m?.terraformProvider ?? "", namespace: m?.namespace ?? "gantry", description: m?.description ?? "",
  repository: m?.repository ?? "", branch: m?.branch ?? "main", projectRoot: m?.projectRoot ?? "", spaceId: m?.spaceId ?? "root", labels: (m?.labels ?? []).join(", "),
  sharedWith: (m?.sharedWith ?? []).join(", "), workerPoolId: m?.workerPoolId ?? "", protectFromDeletion: m?.protectFromDeletion ?? false,
  triggerConsumers: m?.triggerConsumers ?? "NONE", offerFailedVersions: m?.offerFailedVersions ?? false,
});

/** The settings both create and update take (name and provider are fixed once created: they are the registry address). */
const shared = (v: Settings) => ({
  namespace: v.namespace, description: v.description, repository: v.repository, branch: v.branch, projectRoot: v.projectRoot, spaceId: v.spaceId,
  labels: splitList(v.labels), sharedWith: splitList(v.sharedWith), workerPoolId: v.workerPoolId.trim() || null,
  protectFromDeletion: v.protectFromDeletion, triggerConsumers: v.triggerConsumers, offerFailedVersions: v.offerFailedVersions,
});

function ModuleForm({ initial, spaces, creating, error, pending, submitLabel, onSubmit }: { initial: Settings; spaces: { id: string; name: string }[]; creating: boolean; error: unknown; pending: boolean; submitLabel: string; onSubmit: (v: Settings) => void }) {
  const [v, set] = useFormState(initial);
  return (
    <EntityForm label={creating ? "new module" : "module settings"} fields={FIELDS} error={error} pending={pending} submitLabel={submitLabel} onSubmit={() => onSubmit(v)}>
      {creating ? (
        <>
          <TextField name="name" label="Name" value={v.name} onChange={set("name")} error={error} hint="the module's name in its registry address, e.g. vpc" />
          <TextField name="terraformProvider" label="Terraform provider" value={v.terraformProvider} onChange={set("terraformProvider")} error={error} hint="the provider part of the address, e.g. aws" />
          <TextField name="id" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to terraform-<provider>-<name>" />
        </>
      ) : null}
      <TextField name="namespace" label="Namespace" value={v.namespace} onChange={set("namespace")} error={error} hint="the first part of the source address" />
      <TextField name="description" label="Description" value={v.description} onChange={set("description")} error={error} />
      <TextField name="repository" label="Repository" value={v.repository} onChange={set("repository")} error={error} hint="the git repository URL (or path) holding the module; its semver tags become versions" />
      <TextField name="branch" label="Branch" value={v.branch} onChange={set("branch")} error={error} />
      <TextField name="projectRoot" label="Project root" value={v.projectRoot} onChange={set("projectRoot")} error={error} hint="the module's folder inside the repository; empty: the repository root" />
      <SelectField name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, v.spaceId)} />
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated" />
      <TextField name="sharedWith" label="Shared with spaces" value={v.sharedWith} onChange={set("sharedWith")} error={error} hint="comma-separated space ids whose stacks may also use the module" />
      <TextField name="workerPoolId" label="Worker pool (optional)" value={v.workerPoolId} onChange={set("workerPoolId")} error={error} hint="a private worker pool's id for the module's test runs; empty: the public pool" />
      <SelectField name="triggerConsumers" label="When a version is published" value={v.triggerConsumers} onChange={(x) => set("triggerConsumers")(x as Settings["triggerConsumers"])} error={error}
        options={[{ value: "NONE", label: "do nothing" }, { value: "PROPOSED", label: "queue a proposed run of every consumer it admits" }, { value: "TRACKED", label: "queue a tracked run of every consumer it admits" }]} />
      <CheckboxField name="offerFailedVersions" label="Offer versions whose tests failed" checked={v.offerFailedVersions} onChange={set("offerFailedVersions")} error={error} />
      <CheckboxField name="protectFromDeletion" label="Protect from deletion" checked={v.protectFromDeletion} onChange={set("protectFromDeletion")} error={error} />
    </EntityForm>
  );
}

export function NewModulePage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (v: Settings) => {
      const body: CreateModule = { ...shared(v), name: v.name, terraformProvider: v.terraformProvider, ...(v.id.trim() ? { id: v.id.trim() } : {}) };
      return call("createModule", { body });
    },
    onSuccess: (m) => { void qc.invalidateQueries({ queryKey: ["modules"] }); void navigate({ to: "/modules/$moduleId", params: { moduleId: m.id } }); },
  });
  return (
    <NewEntityPage back={{ to: "/modules", label: "Modules" }} title="New module" needed="write" what="a module">
      {(spaces, spaceId) => <ModuleForm initial={{ ...settingsOf(), spaceId }} spaces={spaces} creating error={create.error} pending={create.isPending} submitLabel="Create module" onSubmit={(v) => create.mutate(v)} />}
    </NewEntityPage>
  );
}

/** The module page's settings and delete sections, for people with the write role in its space. */
export function ModuleSettingsSection({ module: m, spaces }: { module: Module; spaces: { id: string; name: string }[] }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (v: Settings) => call("updateModule", { params: { id: m.id }, body: shared(v) }),
    onSuccess: (u) => { qc.setQueryData(["module", m.id], u); void qc.invalidateQueries({ queryKey: ["modules"] }); setSaved(true); },
  });
  const remove = useMutation({
    mutationFn: () => call("deleteModule", { params: { id: m.id } }),
    onSuccess: () => { qc.removeQueries({ queryKey: ["module", m.id] }); void qc.invalidateQueries({ queryKey: ["modules"] }); void navigate({ to: "/modules" }); },
  });
  return (
    <section aria-labelledby="module-settings-h">
      <h2 id="module-settings-h">Settings</h2>
      <ModuleForm key={m.updatedAt} initial={settingsOf(m)} spaces={spaces} creating={false} error={save.error} pending={save.isPending} submitLabel="Save module" onSubmit={(v) => { setSaved(false); save.mutate(v); }} />
      <SavedNotice saved={saved} error={save.error} />
      <DeleteSection name={`${m.namespace}/${m.name}`} what="module" buttonLabel="Delete module" pending={remove.isPending} error={remove.error} onDelete={() => remove.mutate()}
        consequence={m.protectFromDeletion ? "The module is protected from deletion: clear “Protect from deletion” and save first." : "Deleting removes the module and every version of it from the registry; stacks that use it fail at their next init."} />
    </section>
  );
}
