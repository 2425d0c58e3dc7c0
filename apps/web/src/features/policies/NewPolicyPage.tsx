import type { Policy } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { EntityForm, NewEntityPage, spaceOptions, useFormState } from "../../app/entity-form.js";
import { call } from "../../app/api.js";
import { SelectField, splitList, TextField } from "../../app/forms.js";

const TYPES: Policy["type"][] = ["PLAN", "APPROVAL", "GIT_PUSH", "TRIGGER", "NOTIFICATION", "LOGIN", "ACCESS", "INITIALIZATION", "TASK"];
const FIELDS = ["id", "name", "description", "type", "spaceId", "labels", "body"];

interface Settings { id: string; name: string; description: string; type: Policy["type"]; spaceId: string; labels: string; body: string }

/**
 * A new policy: its type, space and first body. The server compiles the body and answers errors
 * at their line; after creation the policy's page edits it with compile-as-you-type and tests.
 */
export function NewPolicyPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (v: Settings) => call("createPolicy", {
      body: { name: v.name, description: v.description, type: v.type, spaceId: v.spaceId, labels: splitList(v.labels), body: v.body, ...(v.id.trim() ? { id: v.id.trim() } : {}) },
    }),
    onSuccess: (p) => { void qc.invalidateQueries({ queryKey: ["policies"] }); void navigate({ to: "/policies/$policyId", params: { policyId: p.id } }); },
  });
  return (
    <NewEntityPage back={{ to: "/policies", label: "Policies" }} title="New policy" needed="admin" what="a policy">
      {(spaces, spaceId) => <NewPolicyForm spaces={spaces} spaceId={spaceId} error={create.error} pending={create.isPending} onSubmit={(v) => create.mutate(v)} />}
    </NewEntityPage>
  );
}

function NewPolicyForm({ spaces, spaceId, error, pending, onSubmit }: { spaces: { id: string; name: string }[]; spaceId: string; error: unknown; pending: boolean; onSubmit: (v: Settings) => void }) {
  const [v, set] = useFormState<Settings>({ id: "", name: "", description: "", type: "PLAN", spaceId, labels: "", body: "package spacelift\n\n" });
  return (
    <EntityForm label="new policy" fields={FIELDS} error={error} pending={pending} submitLabel="Create policy" onSubmit={() => onSubmit(v)}>
      <TextField name="name" label="Name" value={v.name} onChange={set("name")} error={error} />
      <TextField name="id" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" />
      <SelectField name="type" label="Type" value={v.type} onChange={(x) => set("type")(x as Policy["type"])} error={error} options={TYPES.map((t) => ({ value: t, label: t }))} hint="when it is evaluated: see docs/policies.md" />
      <SelectField name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, v.spaceId)} hint="only spaces where you are an admin are offered" />
      <TextField name="description" label="Description" multiline value={v.description} onChange={set("description")} error={error} />
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated; autoattach:<label> applies it to stacks labelled <label>" />
      <TextField name="body" label="Body (Rego)" multiline value={v.body} onChange={set("body")} error={error} hint="package spacelift; the policy page then edits it with errors at their line as you type" />
    </EntityForm>
  );
}
