import type { ImportState } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { CheckboxField, FormError, messagesFor } from "../../app/forms.js";

type StateDocument = ImportState["state"];

/**
 * Imports a terraform state file as the stack's current version (`importState`). The file is read
 * in the browser and sent as the request's `state`; the server checks its format, lineage and
 * serial, and its refusals show at the file field or above the form. `force` is offered to admins
 * only, since it discards what the stack's runs wrote.
 */
export function StateImportForm({ stackId, admin }: { stackId: string; admin: boolean }) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [force, setForce] = useState(false);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  // A new key empties the file input after an import (a file input cannot be set from code).
  const [inputKey, setInputKey] = useState(0);
  const submit = useMutation({
    mutationFn: (state: StateDocument) => call("importState", { params: { id: stackId }, body: { state, force } }),
    onSuccess: () => {
      setFile(null);
      setForce(false);
      setInputKey((k) => k + 1);
      for (const key of ["state-versions", "stack-resources", "stack-outputs"]) void qc.invalidateQueries({ queryKey: [key, stackId] });
    },
  });

  const start = async () => {
    submit.reset();
    setFileProblem(null);
    if (!file) return setFileProblem("choose a state file first (for example the output of terraform state pull)");
    let doc: unknown;
    try {
      doc = JSON.parse(await file.text());
    } catch {
      return setFileProblem(`${file.name} is not JSON: choose a terraform state file (terraform state pull writes one)`);
    }
    // Anything else (an array, a document without serial or lineage) goes to the server, which names what is missing.
    submit.mutate(doc as StateDocument);
  };

  const id = "import-state-file";
  const messages = [...(fileProblem ? [fileProblem] : []), ...messagesFor(submit.error, "state")];
  const describedBy = [`${id}-hint`, messages.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <form className="edit" noValidate aria-label="import state" onSubmit={(e) => { e.preventDefault(); void start(); }}>
      <h3>Import a state file</h3>
      <FormError error={submit.error} fields={["state", "force"]} />
      <div className="field">
        <label htmlFor={id}>State file (.tfstate)</label>
        <input key={inputKey} id={id} type="file" accept=".tfstate,.json,application/json" aria-invalid={messages.length > 0 || undefined} aria-describedby={describedBy}
          onChange={(e) => { setFile(e.target.files?.[0] ?? null); setFileProblem(null); submit.reset(); }} />
        <p id={`${id}-hint`} className="hint muted">
          The full state document (format 4), e.g. from <code>terraform state pull</code>, S3 or Spacelift's state download. It becomes the current version with its lineage and serial,
          so terraform plans no changes for what it already holds. The server refuses another lineage, or a serial not newer than the current one{admin ? ", unless forced" : ""}, and refuses while a run is pending.
        </p>
        {messages.length ? <p id={`${id}-error`} className="field-error">{messages.join("; ")}</p> : null}
      </div>
      {admin ? (
        <CheckboxField name="force" idPrefix="import" label="Force: replace a state of another lineage, or make an older serial current" checked={force} onChange={setForce} error={submit.error}
          hint="Forcing discards what the stack's runs wrote since: terraform then plans against the imported state, and resources only the current state knows are forgotten by Gantry (not destroyed), so the next run may try to create them again. The current state stays in the list above: download it first." />
      ) : null}
      <div className="actions"><button type="submit" className="primary" disabled={submit.isPending}>{force ? "Import state (forced)" : "Import state"}</button></div>
      {submit.data ? <p role="status">Imported: serial {submit.data.serial} of lineage {submit.data.lineage} is the current state.</p> : null}
    </form>
  );
}
