import type { Attachment } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { call } from "../../app/api.js";
import { FormError, SelectField, TextField } from "../../app/forms.js";
import { ErrorBox, Loading } from "../../app/ui.js";

/** A number as typed, or the text itself when it is not one, so the server names the problem. */
const numberOrText = (s: string) => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : (s as unknown as number));

/**
 * The contexts and policies attached to a module directly: contexts reach its test runs; PLAN,
 * APPROVAL and INITIALIZATION policies judge them, TRIGGER and NOTIFICATION policies react to its
 * versions. Other policy types are offered too: the server refuses them with its reason, shown here.
 */
export function ModuleAttachments({ moduleId, canWrite }: { moduleId: string; canWrite: boolean }) {
  const qc = useQueryClient();
  const attachments = useQuery({ queryKey: ["module-attachments", moduleId], queryFn: () => call("listModuleAttachments", { params: { id: moduleId } }) });
  const contexts = useQuery({ queryKey: ["contexts"], queryFn: () => call("listContexts", { query: { limit: 1000 } }) });
  const policies = useQuery({ queryKey: ["policies"], queryFn: () => call("listPolicies", { query: { limit: 1000 } }) });
  const changed = () => void qc.invalidateQueries({ queryKey: ["module-attachments", moduleId] });
  const detach = useMutation({
    mutationFn: (a: Attachment) => {
      const params = { id: moduleId, entityId: a.entityId };
      return a.kind === "context" ? call("detachModuleContext", { params }) : call("detachModulePolicy", { params });
    },
    onSuccess: changed,
  });
  const names = new Map<string, string>([
    ...(contexts.data?.items ?? []).map((c) => [`context:${c.id}`, c.name] as const),
    ...(policies.data?.items ?? []).map((p) => [`policy:${p.id}`, `${p.name} (${p.type})`] as const),
  ]);
  if (attachments.error) return <ErrorBox error={attachments.error} />;
  if (!attachments.data) return <Loading what="attachments" />;
  const items = attachments.data.items;
  const attached = new Set(items.map((a) => `${a.kind}:${a.entityId}`));
  return (
    <>
      {items.length === 0 ? <p className="muted">Nothing is attached directly.</p> : (
        <table aria-label="module attachments">
          <thead><tr><th scope="col">Kind</th><th scope="col">Attached</th><th scope="col">Settings</th>{canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
          <tbody>
            {items.map((a) => {
              const name = names.get(`${a.kind}:${a.entityId}`) ?? a.entityId;
              return (
                <tr key={`${a.kind}:${a.entityId}`}>
                  <td>{a.kind === "context" ? "Context" : "Policy"}</td>
                  <td>{name}</td>
                  <td>{a.kind === "context" ? `priority ${a.priority}` : "—"}</td>
                  {canWrite ? <td><button type="button" disabled={detach.isPending} onClick={() => detach.mutate(a)}>Detach {name}</button></td> : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {detach.error ? <ErrorBox error={detach.error} /> : null}
      {canWrite ? (
        <div className="grid2">
          <AttachForm kind="context" moduleId={moduleId} onDone={changed} choices={(contexts.data?.items ?? []).filter((c) => !attached.has(`context:${c.id}`)).map((c) => ({ id: c.id, label: `${c.name} (${c.spaceId})` }))} />
          <AttachForm kind="policy" moduleId={moduleId} onDone={changed} choices={(policies.data?.items ?? []).filter((p) => !attached.has(`policy:${p.id}`)).map((p) => ({ id: p.id, label: `${p.name} (${p.type}, ${p.spaceId})` }))} />
        </div>
      ) : null}
    </>
  );
}

function AttachForm({ kind, moduleId, choices, onDone }: { kind: "context" | "policy"; moduleId: string; choices: { id: string; label: string }[]; onDone: () => void }) {
  const [entityId, setEntityId] = useState("");
  const [priority, setPriority] = useState("0");
  const prefix = `module-attach-${kind}`;
  const attach = useMutation({
    mutationFn: () => {
      const params = { id: moduleId, entityId };
      return kind === "context" ? call("attachModuleContext", { params, body: { priority: numberOrText(priority) } }) : call("attachModulePolicy", { params });
    },
    onSuccess: () => { setEntityId(""); onDone(); },
  });
  const submit = (e: FormEvent) => { e.preventDefault(); if (entityId) attach.mutate(); };
  const label = kind === "context" ? "Context" : "Policy";
  return (
    <form className="edit" noValidate aria-label={`attach ${kind} to module`} onSubmit={submit}>
      <h3>Attach a {kind}</h3>
      <FormError error={attach.error} fields={kind === "context" ? ["priority"] : []} />
      {choices.length === 0 ? <p className="muted">No other {kind} you can read.</p> : (
        <>
          <SelectField name="entityId" idPrefix={prefix} label={label} value={entityId} onChange={setEntityId} error={attach.error} options={[{ value: "", label: `choose a ${kind}` }, ...choices.map((c) => ({ value: c.id, label: c.label }))]} />
          {kind === "context" ? <TextField name="priority" idPrefix={prefix} label="Priority" type="number" value={priority} onChange={setPriority} error={attach.error} hint="0 wins over 1 where two contexts set the same variable or file" /> : null}
          <div className="actions"><button type="submit" disabled={!entityId || attach.isPending}>Attach {kind}</button></div>
        </>
      )}
    </form>
  );
}
