import type { Policy } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { EntityForm, NewEntityPage, spaceOptions, useFormState } from "../../app/entity-form.js";
import { call } from "../../app/api.js";
import { SelectField, splitList, TextField } from "../../app/forms.js";
import { PolicyWarnings, RegoVersionField, regoVersionParam, type RegoVersionChoice } from "./rego-version.js";

const TYPES: Policy["type"][] = ["PLAN", "APPROVAL", "GIT_PUSH", "TRIGGER", "NOTIFICATION", "LOGIN", "ACCESS", "INITIALIZATION", "TASK"];
const FIELDS = ["id", "name", "description", "type", "spaceId", "labels", "regoVersion", "body", "tests"];

interface Settings { id: string; name: string; description: string; type: Policy["type"]; spaceId: string; labels: string; regoVersion: RegoVersionChoice; body: string; tests: string }

/**
 * A new policy: its type, space, Rego version, first body and its tests. The server compiles the
 * body, runs the tests and answers errors at their field; after creation the policy's page edits
 * it with compile-as-you-type. When the server decided something for the person (a body without a
 * version stored as Rego v0), the page stays to say so instead of moving on.
 */
export function NewPolicyPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (v: Settings) => call("createPolicy", {
      body: {
        name: v.name, description: v.description, type: v.type, spaceId: v.spaceId, labels: splitList(v.labels), body: v.body, tests: v.tests,
        ...(regoVersionParam(v.regoVersion) ? { regoVersion: regoVersionParam(v.regoVersion) } : {}),
        ...(v.id.trim() ? { id: v.id.trim() } : {}),
      },
    }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: ["policies"] });
      if (!p.warnings?.length) void navigate({ to: "/policies/$policyId", params: { policyId: p.id } });
    },
  });
  const created = create.data?.warnings?.length ? create.data : null;
  return (
    <NewEntityPage back={{ to: "/policies", label: "Policies" }} title="New policy" needed="admin" what="a policy">
      {(spaces, spaceId) => created ? (
        <>
          <PolicyWarnings heading={`Created policy ${created.name} as ${created.regoVersion === "V0" ? "Rego v0" : "Rego v1"}, with a warning:`} warnings={created.warnings} />
          <p><Link to="/policies/$policyId" params={{ policyId: created.id }}>Open the policy {created.name}</Link></p>
        </>
      ) : <NewPolicyForm spaces={spaces} spaceId={spaceId} error={create.error} pending={create.isPending} onSubmit={(v) => create.mutate(v)} />}
    </NewEntityPage>
  );
}

function NewPolicyForm({ spaces, spaceId, error, pending, onSubmit }: { spaces: { id: string; name: string }[]; spaceId: string; error: unknown; pending: boolean; onSubmit: (v: Settings) => void }) {
  const [v, set] = useFormState<Settings>({ id: "", name: "", description: "", type: "PLAN", spaceId, labels: "", regoVersion: "", body: "package spacelift\n\n", tests: "" });
  return (
    <EntityForm label="new policy" fields={FIELDS} error={error} pending={pending} submitLabel="Create policy" onSubmit={() => onSubmit(v)}>
      <TextField name="name" label="Name" value={v.name} onChange={set("name")} error={error} />
      <TextField name="id" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" />
      <SelectField name="type" label="Type" value={v.type} onChange={(x) => set("type")(x as Policy["type"])} error={error} options={TYPES.map((t) => ({ value: t, label: t }))} hint="when it is evaluated: see docs/policies.md" />
      <SelectField name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, v.spaceId)} hint="only spaces where you are an admin are offered" />
      <TextField name="description" label="Description" multiline value={v.description} onChange={set("description")} error={error} />
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated; autoattach:<label> applies it to stacks labelled <label>" />
      <RegoVersionField value={v.regoVersion} onChange={set("regoVersion")} error={error} detectsFrom="Rego v1" />
      <TextField name="body" label="Body (Rego)" multiline value={v.body} onChange={set("body")} error={error} hint="package spacelift; the policy page then edits it with errors at their line as you type" />
      <TextField name="tests" label="Tests (Rego, optional)" multiline value={v.tests} onChange={set("tests")} error={error} hint="test_ rules, e.g. test_denies if { deny with input as {...} }; run on this save and every later change, which a failing test refuses" />
    </EntityForm>
  );
}
