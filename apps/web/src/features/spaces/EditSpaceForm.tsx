import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call, spacesQuery } from "../../app/api.js";
import { spaceOptions } from "../../app/entity-form.js";
import { CheckboxField, FormError, SelectField, splitList, TextField } from "../../app/forms.js";
import { useSpacesAllowing } from "../../app/roles.js";

type Space = { id: string; name: string; description: string; parentSpaceId: string | null; inheritEntities: boolean; labels: string[] };

/**
 * Edit or move a space the person administers. The new parent is offered among the spaces where
 * they are an admin too; the server refuses a move under the space's own subtree (a cycle) and
 * says so at the parent field.
 */
export function EditSpaceSection() {
  const admin = useSpacesAllowing("admin");
  const spaces = useQuery(spacesQuery());
  const [chosen, setChosen] = useState("");
  if (!admin || admin.length === 0 || !spaces.data) return null;
  const id = admin.some((s) => s.id === chosen) ? chosen : admin[0]!.id;
  const space = spaces.data.items.find((s) => s.id === id);
  return (
    <section aria-labelledby="edit-space-h">
      <h2 id="edit-space-h">Edit or move a space</h2>
      <div className="toolbar">
        <label htmlFor="edit-space-pick">Space to edit</label>
        <select id="edit-space-pick" value={id} onChange={(e) => setChosen(e.target.value)}>
          {admin.map((s) => <option key={s.id} value={s.id}>{s.name === s.id ? s.id : `${s.name} (${s.id})`}</option>)}
        </select>
      </div>
      {space ? <EditSpaceForm key={space.id} space={space} parents={admin.filter((s) => s.id !== space.id)} /> : null}
    </section>
  );
}

function EditSpaceForm({ space, parents }: { space: Space; parents: { id: string; name: string }[] }) {
  const qc = useQueryClient();
  const [v, setV] = useState({ name: space.name, description: space.description, parentSpaceId: space.parentSpaceId ?? "", inheritEntities: space.inheritEntities, labels: space.labels.join(", ") });
  const set = <K extends keyof typeof v>(k: K) => (x: (typeof v)[K]) => setV((o) => ({ ...o, [k]: x }));
  const save = useMutation({
    mutationFn: () => call("updateSpace", {
      params: { id: space.id },
      body: { name: v.name, description: v.description, inheritEntities: v.inheritEntities, labels: splitList(v.labels), ...(space.parentSpaceId !== null && v.parentSpaceId !== space.parentSpaceId ? { parentSpaceId: v.parentSpaceId } : {}) },
    }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ["spaces"] }); void qc.invalidateQueries({ queryKey: ["me"] }); },
  });
  const error = save.error;
  return (
    <form className="edit" noValidate aria-label={`edit space ${space.id}`} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <FormError error={error} fields={["name", "description", "parentSpaceId", "inheritEntities", "labels"]} />
      <TextField name="name" idPrefix="edit-space" label="Name" value={v.name} onChange={set("name")} error={error} />
      <TextField name="description" idPrefix="edit-space" label="Description" value={v.description} onChange={set("description")} error={error} multiline />
      {space.parentSpaceId === null
        ? <p className="muted">The root space has no parent and cannot be moved.</p>
        : <SelectField name="parentSpaceId" idPrefix="edit-space" label="Parent space" value={v.parentSpaceId} onChange={set("parentSpaceId")} error={error} options={spaceOptions(parents, v.parentSpaceId)} hint="moving needs the admin role on the new parent as well; a space cannot move under itself" />}
      <CheckboxField name="inheritEntities" idPrefix="edit-space" label="Inherit the parent's contexts, policies, integrations, pools and modules" checked={v.inheritEntities} onChange={set("inheritEntities")} error={error} />
      <TextField name="labels" idPrefix="edit-space" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated" />
      {save.isSuccess && !error ? <p role="status">Saved.</p> : null}
      <div className="actions"><button type="submit" className="primary" disabled={save.isPending}>Save space</button></div>
    </form>
  );
}
