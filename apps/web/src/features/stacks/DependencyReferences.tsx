import type { StackDependency } from "@gantry/contract";
import { GantryApiError, MASKED_OUTPUT } from "@gantry/contract/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { EntityForm, useFormState } from "../../app/entity-form.js";
import { CheckboxField, SelectField, TextField } from "../../app/forms.js";
import { ErrorBox } from "../../app/ui.js";
import { dependenciesChanged, outputsQuery } from "./dependency-queries.js";

/** The output choice that opens a text field (no output name can contain "*"). */
const OTHER = "*other*";

/** An output's current value as the upstream's latest applied state has it; sensitive ones stay hidden. */
function OutputValue({ outputs, name }: { outputs: Record<string, unknown> | undefined; name: string }) {
  if (!outputs) return <span className="muted">—</span>;
  if (!(name in outputs)) return <em>not in the latest applied state: runs will fail until the upstream outputs it</em>;
  const v = outputs[name];
  return v === MASKED_OUTPUT ? <em className="muted">sensitive (hidden)</em> : <code>{typeof v === "string" ? v : JSON.stringify(v)}</code>;
}

/**
 * The outputs of one upstream stack that this stack's runs get as environment variables: the
 * references with each output's current value (sensitive ones masked), and for writers remove
 * and add (the upstream's output names offered when it has applied, any name otherwise).
 */
export function DependencyReferences({ stackId, dependency: d, canWrite }: { stackId: string; dependency: StackDependency; canWrite: boolean }) {
  const qc = useQueryClient();
  const upstream = d.dependsOnStackId;
  const outputs = useQuery({ ...outputsQuery(upstream), retry: false });
  const remove = useMutation({
    mutationFn: (referenceId: string) => call("deleteStackDependencyReference", { params: { id: stackId, referenceId } }),
    onSuccess: () => dependenciesChanged(qc, stackId, upstream),
  });
  return (
    <>
      {d.references.length === 0 ? <p className="muted">Reads no outputs of {upstream}: it only runs after it.</p> : (
        <table aria-label={`outputs of ${upstream} read by ${stackId}`}>
          <thead><tr><th scope="col">Output of {upstream}</th><th scope="col">Current value</th><th scope="col">Environment variable</th><th scope="col">Triggers this stack</th>{canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
          <tbody>
            {d.references.map((r) => (
              <tr key={r.id}>
                <td><code>{r.outputName}</code></td>
                <td><OutputValue outputs={outputs.data} name={r.outputName} /></td>
                <td><code>{r.inputName}</code></td>
                <td>{r.triggerAlways ? "after every change of the upstream" : "when this output changes"}</td>
                {canWrite ? <td><button type="button" disabled={remove.isPending} onClick={() => remove.mutate(r.id)}>Remove<span className="sr-only"> reference {r.inputName}</span></button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
      {outputs.error ? (
        <p className="muted">{outputs.error instanceof GantryApiError && outputs.error.status === 403 ? `You cannot read ${upstream}'s outputs, so their values are not shown.` : `Reading ${upstream}'s outputs failed: ${outputs.error.message}`}</p>
      ) : null}
      {canWrite ? <AddReferenceForm stackId={stackId} dependency={d} outputNames={outputs.data ? Object.keys(outputs.data) : []} /> : null}
    </>
  );
}

function AddReferenceForm({ stackId, dependency: d, outputNames }: { stackId: string; dependency: StackDependency; outputNames: string[] }) {
  const qc = useQueryClient();
  const upstream = d.dependsOnStackId;
  const prefix = `reference-${d.id}`;
  const [v, set] = useFormState({ choice: "", typed: "", inputName: "", triggerAlways: false });
  const [added, setAdded] = useState(false);
  // Without applied outputs to offer (never applied, or unreadable), the name is typed.
  const typing = outputNames.length === 0 || v.choice === OTHER;
  const outputName = typing ? v.typed.trim() : v.choice;
  const add = useMutation({
    mutationFn: () => call("createStackDependencyReference", { params: { id: stackId }, body: { dependencyId: d.id, outputName, inputName: v.inputName.trim(), triggerAlways: v.triggerAlways } }),
    onSuccess: () => { setAdded(true); set("choice")(""); set("typed")(""); set("inputName")(""); set("triggerAlways")(false); dependenciesChanged(qc, stackId, upstream); },
  });
  const choose = (choice: string) => {
    set("choice")(choice);
    // The usual wiring: output x becomes Terraform input variable x (TF_VAR_x), unless a name was typed already.
    if (choice && choice !== OTHER && !v.inputName) set("inputName")(`TF_VAR_${choice}`);
  };
  return (
    <EntityForm label={`read an output of ${upstream}`} fields={["outputName", "inputName", "triggerAlways", "dependencyId"]} error={add.error} pending={add.isPending} submitLabel="Add reference"
      onSubmit={() => { setAdded(false); add.mutate(); }}>
      <h5>Read an output of {upstream}</h5>
      {outputNames.length > 0 ? (
        <SelectField name={typing ? "outputChoice" : "outputName"} idPrefix={prefix} label="Output" value={v.choice} onChange={choose} error={add.error}
          options={[{ value: "", label: "choose an output" }, ...outputNames.map((n) => ({ value: n, label: n })), { value: OTHER, label: "another output (type its name)" }]} />
      ) : null}
      {typing ? (
        <TextField name="outputName" idPrefix={prefix} label={outputNames.length > 0 ? "Output name" : "Output"} value={v.typed} onChange={set("typed")} error={add.error}
          hint={outputNames.length > 0 ? "an output the upstream's code declares but has not applied yet" : `${upstream} has no applied outputs to offer yet: type the name its code declares`} />
      ) : null}
      <TextField name="inputName" idPrefix={prefix} label="Environment variable" value={v.inputName} onChange={set("inputName")} error={add.error} hint="what this stack's runs get, e.g. TF_VAR_vpc_id (Terraform reads TF_VAR_x as input variable x)" />
      <CheckboxField name="triggerAlways" idPrefix={prefix} label="Run this stack after every change of the upstream, not only when this output changes" checked={v.triggerAlways} onChange={set("triggerAlways")} error={add.error} />
      {added && !add.error ? <p role="status">Reference added.</p> : null}
    </EntityForm>
  );
}
