import type { Context } from "@gantry/contract";
import { useState } from "react";
import { FormError, SelectField, splitList, TextField } from "../../app/forms.js";
import { HooksFields, hooksBody, hooksText, type HooksText } from "../../app/hooks-fields.js";

export interface ContextSettings { id: string; name: string; description: string; spaceId: string; labels: string; hooks: HooksText }

export const contextSettingsOf = (c?: Context): ContextSettings => ({ id: c?.id ?? "", name: c?.name ?? "", description: c?.description ?? "", spaceId: c?.spaceId ?? "root", labels: (c?.labels ?? []).join(", "), hooks: hooksText(c?.hooks) });
export const contextBodyOf = (v: ContextSettings) => ({ name: v.name, description: v.description, spaceId: v.spaceId, labels: splitList(v.labels), hooks: hooksBody(v.hooks) });

/**
 * A context's name, space, labels (`autoattach:<label>` attaches it to stacks labelled so) and
 * hooks (run in every stack it is attached to, before the stack's own: see docs/runs.md).
 */
export function ContextForm({ initial, spaces, creating, error, pending, submitLabel, onSubmit }: {
  initial: ContextSettings; spaces: { id: string; name: string }[]; creating: boolean; error: unknown; pending: boolean; submitLabel: string; onSubmit: (v: ContextSettings) => void;
}) {
  const [v, setV] = useState(initial);
  const set = (k: keyof ContextSettings) => (x: string) => setV((o) => ({ ...o, [k]: x }));
  const options = (spaces.some((s) => s.id === v.spaceId) ? spaces : [{ id: v.spaceId, name: v.spaceId }, ...spaces]).map((s) => ({ value: s.id, label: s.name === s.id ? s.id : `${s.name} (${s.id})` }));
  return (
    <form className="edit" noValidate aria-label={creating ? "new context" : "context settings"} onSubmit={(e) => { e.preventDefault(); onSubmit(v); }}>
      <FormError error={error} fields={["id", "name", "description", "spaceId", "labels", "hooks"]} />
      <TextField name="name" label="Name" value={v.name} onChange={set("name")} error={error} />
      {creating ? <TextField name="id" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" /> : null}
      <TextField name="description" label="Description" multiline value={v.description} onChange={set("description")} error={error} />
      <SelectField name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={error} options={options} hint="only spaces where you are an admin are offered" />
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated; autoattach:<label> attaches the context to every stack labelled <label> (autoattach:* to all)" />
      <HooksFields hooks={v.hooks} onChange={(h, text) => setV((old) => ({ ...old, hooks: { ...old.hooks, [h]: text } }))} error={error} />
      <div className="actions"><button type="submit" className="primary" disabled={pending}>{submitLabel}</button></div>
    </form>
  );
}
