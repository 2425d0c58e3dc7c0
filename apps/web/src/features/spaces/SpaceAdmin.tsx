import { useMutation, useQueryClient } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { spaceOptions, useFormState } from "../../app/entity-form.js";
import { CheckboxField, FormError, SelectField, splitList, TextField } from "../../app/forms.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox } from "../../app/ui.js";

/** A new space under a parent where the person is an admin (the API's rule). */
export function NewSpaceForm() {
  const qc = useQueryClient();
  const parents = useSpacesAllowing("admin");
  const [v, set] = useFormState({ id: "", name: "", description: "", parentSpaceId: "", inheritEntities: true, labels: "" });
  const create = useMutation({
    mutationFn: (parentSpaceId: string) => call("createSpace", { body: { name: v.name, description: v.description, parentSpaceId, inheritEntities: v.inheritEntities, labels: splitList(v.labels), ...(v.id.trim() ? { id: v.id.trim() } : {}) } }),
    onSuccess: () => { set("name")(""); set("id")(""); set("description")(""); void qc.invalidateQueries({ queryKey: ["spaces"] }); },
  });
  if (!parents || parents.length === 0) return null;
  const parent = v.parentSpaceId || (parents.some((s) => s.id === "root") ? "root" : parents[0]!.id);
  const error = create.error;
  return (
    <section aria-labelledby="new-space-h">
      <h2 id="new-space-h">New space</h2>
      <form className="edit" noValidate aria-label="new space" onSubmit={(e) => { e.preventDefault(); create.mutate(parent); }}>
        <FormError error={error} fields={["id", "name", "description", "parentSpaceId", "inheritEntities", "labels"]} />
        <TextField name="name" idPrefix="space" label="Name" value={v.name} onChange={set("name")} error={error} />
        <TextField name="id" idPrefix="space" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" />
        <TextField name="description" idPrefix="space" label="Description" value={v.description} onChange={set("description")} error={error} multiline />
        <SelectField name="parentSpaceId" idPrefix="space" label="Parent space" value={parent} onChange={set("parentSpaceId")} error={error} options={spaceOptions(parents, parent)} hint="only spaces where you are an admin are offered" />
        <CheckboxField name="inheritEntities" idPrefix="space" label="Inherit the parent's contexts, policies, integrations, pools and modules" checked={v.inheritEntities} onChange={set("inheritEntities")} error={error} />
        <TextField name="labels" idPrefix="space" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated" />
        <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create space</button></div>
      </form>
    </section>
  );
}

/** Delete button of a space for its admins; the server refuses a space that is not empty and says what it holds. */
export function DeleteSpaceButton({ id, name }: { id: string; name: string }) {
  const qc = useQueryClient();
  const role = useRole(id);
  const remove = useMutation({ mutationFn: () => call("deleteSpace", { params: { id } }), onSuccess: () => void qc.invalidateQueries({ queryKey: ["spaces"] }) });
  if (id === "root" || !allows(role, "admin")) return null;
  return (
    <>
      {" "}<button type="button" className="link" disabled={remove.isPending} onClick={() => { if (window.confirm(`Delete the space ${name}?`)) remove.mutate(); }}>Delete space {name}</button>
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </>
  );
}
