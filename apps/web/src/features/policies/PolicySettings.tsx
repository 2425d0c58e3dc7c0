import type { Policy } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { EntityForm, SavedNotice, spaceOptions, useFormState } from "../../app/entity-form.js";
import { call } from "../../app/api.js";
import { SelectField, splitList, TextField } from "../../app/forms.js";
import { useSpacesAllowing } from "../../app/roles.js";
import { Loading } from "../../app/ui.js";

const FIELDS = ["name", "description", "spaceId", "labels"];

interface Settings { name: string; description: string; spaceId: string; labels: string }

/**
 * A policy's settings after creation (admins of its space): name, description, space and labels
 * (`autoattach:<label>` attaches it to stacks labelled so). The space choice offers the spaces
 * where the person is an admin; a move that would leave a stack's attachment out of reach is
 * refused by the server, and its message is shown above the form.
 */
export function PolicySettings({ policy }: { policy: Policy }) {
  const spaces = useSpacesAllowing("admin");
  const qc = useQueryClient();
  const [v, set] = useFormState<Settings>({ name: policy.name, description: policy.description, spaceId: policy.spaceId, labels: policy.labels.join(", ") });
  const save = useMutation({
    mutationFn: () => call("updatePolicy", { params: { id: policy.id }, body: { name: v.name, description: v.description, spaceId: v.spaceId, labels: splitList(v.labels) } }),
    onSuccess: (p) => { qc.setQueryData(["policy", policy.id], p); void qc.invalidateQueries({ queryKey: ["policies"] }); },
  });
  if (!spaces) return <Loading what="your spaces" />;
  return (
    <section aria-labelledby="policy-settings-h">
      <h2 id="policy-settings-h">Settings</h2>
      <EntityForm label="policy settings" fields={FIELDS} error={save.error} pending={save.isPending} submitLabel="Save settings" onSubmit={() => save.mutate()}>
        <TextField idPrefix="settings" name="name" label="Name" value={v.name} onChange={set("name")} error={save.error} />
        <TextField idPrefix="settings" name="description" label="Description" multiline value={v.description} onChange={set("description")} error={save.error} />
        <SelectField idPrefix="settings" name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={save.error} options={spaceOptions(spaces, v.spaceId)}
          hint="only spaces where you are an admin are offered; a move that leaves an attached stack unable to reach the policy is refused" />
        <TextField idPrefix="settings" name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={save.error} hint="comma-separated; autoattach:<label> applies it to stacks labelled <label>, autoattach:* to all in reach" />
      </EntityForm>
      <SavedNotice saved={save.isSuccess} error={save.error} />
    </section>
  );
}
