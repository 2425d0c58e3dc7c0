import type { Attachment } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { call } from "../../app/api.js";
import { CheckboxField, FormError, SelectField, TextField } from "../../app/forms.js";
import { ErrorBox, Loading } from "../../app/ui.js";

type Kind = Attachment["kind"];
const kindLabel: Record<Kind, string> = { context: "Context", policy: "Policy", aws_integration: "AWS integration" };

/** A number as typed, or the text itself when it is not one, so the server names the problem. */
const numberOrText = (s: string) => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : (s as unknown as number));

/**
 * The stack's direct attachments (contexts with their priority, policies, AWS integrations with
 * read/write) with attach and detach, for people with the write role on the stack. What applies
 * through autoattach labels is on the stack page, with the reasons.
 */
export function StackAttachments({ stackId }: { stackId: string }) {
  const qc = useQueryClient();
  const attachments = useQuery({ queryKey: ["attachments", stackId], queryFn: () => call("listStackAttachments", { params: { id: stackId } }) });
  const contexts = useQuery({ queryKey: ["contexts"], queryFn: () => call("listContexts", { query: { limit: 1000 } }) });
  const policies = useQuery({ queryKey: ["policies"], queryFn: () => call("listPolicies", { query: { limit: 1000 } }) });
  const aws = useQuery({ queryKey: ["aws-integrations"], queryFn: () => call("listAwsIntegrations", { query: { limit: 1000 } }) });
  const changed = () => { void qc.invalidateQueries({ queryKey: ["attachments", stackId] }); void qc.invalidateQueries({ queryKey: ["explain", stackId] }); };
  const detach = useMutation({
    mutationFn: (a: Attachment) => {
      const params = { id: stackId, entityId: a.entityId };
      return a.kind === "context" ? call("detachContext", { params }) : a.kind === "policy" ? call("detachPolicy", { params }) : call("detachAwsIntegration", { params });
    },
    onSuccess: changed,
  });
  const names = new Map<string, string>([
    ...(contexts.data?.items ?? []).map((c) => [`context:${c.id}`, c.name] as const),
    ...(policies.data?.items ?? []).map((p) => [`policy:${p.id}`, `${p.name} (${p.type})`] as const),
    ...(aws.data?.items ?? []).map((i) => [`aws_integration:${i.id}`, i.name] as const),
  ]);
  if (attachments.error) return <ErrorBox error={attachments.error} />;
  if (!attachments.data) return <Loading what="attachments" />;
  const items = attachments.data.items;
  const attached = (kind: Kind) => new Set(items.filter((a) => a.kind === kind).map((a) => a.entityId));
  return (
    <>
      {items.length === 0 ? <p className="muted">Nothing is attached directly.</p> : (
        <table>
          <thead><tr><th scope="col">Kind</th><th scope="col">Attached</th><th scope="col">Settings</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((a) => {
              const name = names.get(`${a.kind}:${a.entityId}`) ?? a.entityId;
              return (
                <tr key={`${a.kind}:${a.entityId}`}>
                  <td>{kindLabel[a.kind]}</td>
                  <td>{name}</td>
                  <td>{a.kind === "context" ? `priority ${a.priority}` : a.kind === "aws_integration" ? [a.read ? "read (proposed runs)" : "", a.write ? "write (tracked runs)" : ""].filter(Boolean).join(", ") : "—"}</td>
                  <td><button type="button" disabled={detach.isPending} onClick={() => detach.mutate(a)}>Detach {name}</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {detach.error ? <ErrorBox error={detach.error} /> : null}
      <div className="grid2">
        <AttachForm kind="context" stackId={stackId} onDone={changed} choices={(contexts.data?.items ?? []).filter((c) => !attached("context").has(c.id)).map((c) => ({ id: c.id, label: `${c.name} (${c.spaceId})` }))} />
        <AttachForm kind="policy" stackId={stackId} onDone={changed} choices={(policies.data?.items ?? []).filter((p) => !attached("policy").has(p.id)).map((p) => ({ id: p.id, label: `${p.name} (${p.type}, ${p.spaceId})` }))} />
        <AttachForm kind="aws_integration" stackId={stackId} onDone={changed} choices={(aws.data?.items ?? []).filter((i) => !attached("aws_integration").has(i.id)).map((i) => ({ id: i.id, label: `${i.name} (${i.spaceId})` }))} />
      </div>
    </>
  );
}

/** One "attach a …" form: the entity, and its priority (contexts) or read/write (integrations). */
function AttachForm({ kind, stackId, choices, onDone }: { kind: Kind; stackId: string; choices: { id: string; label: string }[]; onDone: () => void }) {
  const [entityId, setEntityId] = useState("");
  const [priority, setPriority] = useState("0");
  const [read, setRead] = useState(true);
  const [write, setWrite] = useState(true);
  const prefix = `attach-${kind}`;
  const attach = useMutation({
    mutationFn: () => {
      const params = { id: stackId, entityId };
      if (kind === "context") return call("attachContext", { params, body: { priority: numberOrText(priority) } });
      if (kind === "policy") return call("attachPolicy", { params });
      return call("attachAwsIntegration", { params, body: { read, write } });
    },
    onSuccess: () => { setEntityId(""); onDone(); },
  });
  const submit = (e: FormEvent) => { e.preventDefault(); if (entityId) attach.mutate(); };
  const what = kindLabel[kind].toLowerCase();
  return (
    <form className="edit" noValidate aria-label={`attach ${what}`} onSubmit={submit}>
      <h3>Attach {kind === "aws_integration" ? "an" : "a"} {what}</h3>
      <FormError error={attach.error} fields={["priority", "read", "write"]} />
      {choices.length === 0 ? <p className="muted">No other {what} you can read.</p> : (
        <>
          <SelectField name="entityId" idPrefix={prefix} label={kindLabel[kind]} value={entityId} onChange={setEntityId} error={attach.error} options={[{ value: "", label: `choose a ${what}` }, ...choices.map((c) => ({ value: c.id, label: c.label }))]} />
          {kind === "context" ? <TextField name="priority" idPrefix={prefix} label="Priority" type="number" value={priority} onChange={setPriority} error={attach.error} hint="0 wins over 1 where two contexts set the same variable or file" /> : null}
          {kind === "aws_integration" ? (
            <>
              <CheckboxField name="read" idPrefix={prefix} label="Read: proposed runs get credentials" checked={read} onChange={setRead} error={attach.error} />
              <CheckboxField name="write" idPrefix={prefix} label="Write: tracked runs get credentials" checked={write} onChange={setWrite} error={attach.error} />
            </>
          ) : null}
          <div className="actions"><button type="submit" disabled={!entityId || attach.isPending}>Attach {what}</button></div>
        </>
      )}
    </form>
  );
}
