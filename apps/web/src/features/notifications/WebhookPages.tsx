import type { Webhook } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { DeleteSection, EntityForm, NewEntityPage, SavedNotice, spaceOptions, useFormState } from "../../app/entity-form.js";
import { CheckboxField, SelectField, splitList, TextField } from "../../app/forms.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox, Loading } from "../../app/ui.js";

interface Settings { id: string; name: string; spaceId: string; stackId: string; endpoint: string; enabled: boolean; labels: string; secret: string; secretIsBase64: boolean }
const FIELDS = ["id", "name", "spaceId", "stackId", "endpoint", "enabled", "labels", "secret", "secretBase64"];

const settingsOf = (w?: Webhook): Settings => ({ id: w?.id ?? "", name: w?.name ?? "", spaceId: w?.spaceId ?? "root", stackId: w?.stackId ?? "", endpoint: w?.endpoint ?? "", enabled: w?.enabled ?? true, labels: (w?.labels ?? []).join(", "), secret: "", secretIsBase64: false });

/** The secret as typed: text (signed with its UTF-8 bytes) or base64 of raw bytes, for a binary secret. */
const secretOf = (v: Settings) => (!v.secret ? {} : v.secretIsBase64 ? { secretBase64: v.secret.trim() } : { secret: v.secret });

/**
 * A webhook endpoint's form. The signing secret is write-only: the field starts empty, and
 * leaving it empty when editing keeps the stored secret (only its checksum is ever shown).
 */
function WebhookForm({ initial, spaces, creating, checksum, error, pending, submitLabel, onSubmit }: { initial: Settings; spaces: { id: string; name: string }[]; creating: boolean; checksum: string | null; error: unknown; pending: boolean; submitLabel: string; onSubmit: (v: Settings) => void }) {
  const [v, set] = useFormState(initial);
  return (
    <EntityForm label={creating ? "new webhook" : "webhook settings"} fields={FIELDS} error={error} pending={pending} submitLabel={submitLabel} onSubmit={() => onSubmit(v)}>
      <TextField name="name" label="Name" value={v.name} onChange={set("name")} error={error} />
      {creating ? <TextField name="id" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" /> : null}
      <TextField name="endpoint" label="Endpoint URL" type="url" value={v.endpoint} onChange={set("endpoint")} error={error} hint="Gantry POSTs every run state change here, signed with the secret" />
      {creating ? (
        <>
          <TextField name="stackId" label="Stack (optional)" value={v.stackId} onChange={set("stackId")} error={error} hint="a stack's id: the webhook receives that stack's runs; empty: a named webhook of the space, attached by labels" />
          <SelectField name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, v.spaceId)} hint="ignored when a stack is given (the stack's space is used)" />
        </>
      ) : null}
      <TextField name={v.secretIsBase64 ? "secretBase64" : "secret"} label={creating ? "Signing secret (optional)" : "New signing secret (leave empty to keep the current one)"} type="password" autoComplete="new-password" value={v.secret} onChange={set("secret")} error={error}
        hint={checksum ? `write-only; the current secret's checksum is ${checksum}` : "write-only: at least 16 bytes, e.g. from openssl rand -hex 32"} />
      <CheckboxField name="secretIsBase64" label="The secret is base64 of raw bytes" checked={v.secretIsBase64} onChange={set("secretIsBase64")} error={error} hint="for a binary secret (e.g. from openssl rand -base64 32): deliveries are signed with the decoded bytes, as with the CLI's --secret-file" />
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated; autoattach:<label> sends the runs of stacks labelled <label>" />
      <CheckboxField name="enabled" label="Enabled" checked={v.enabled} onChange={set("enabled")} error={error} />
    </EntityForm>
  );
}

export function NewWebhookPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (v: Settings) => call("createWebhook", {
      body: {
        name: v.name, endpoint: v.endpoint, enabled: v.enabled, labels: splitList(v.labels),
        ...(v.id.trim() ? { id: v.id.trim() } : {}), ...(v.stackId.trim() ? { stackId: v.stackId.trim() } : { spaceId: v.spaceId }), ...secretOf(v),
      },
    }),
    onSuccess: (w) => { void qc.invalidateQueries({ queryKey: ["webhooks"] }); void navigate({ to: "/webhooks/$webhookId", params: { webhookId: w.id } }); },
  });
  return (
    <NewEntityPage back={{ to: "/notifications", label: "Notifications" }} title="New webhook" needed="admin" what="a webhook">
      {(spaces, spaceId) => <WebhookForm initial={{ ...settingsOf(), spaceId }} spaces={spaces} creating checksum={null} error={create.error} pending={create.isPending} submitLabel="Create webhook" onSubmit={(v) => create.mutate(v)} />}
    </NewEntityPage>
  );
}

export function WebhookPage() {
  const { webhookId } = useParams({ from: "/webhooks/$webhookId" });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const webhook = useQuery({ queryKey: ["webhook", webhookId], queryFn: () => call("getWebhook", { params: { id: webhookId } }) });
  const role = useRole(webhook.data?.spaceId);
  const spaces = useSpacesAllowing("admin");
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (v: Settings) => call("updateWebhook", { params: { id: webhookId }, body: { name: v.name, endpoint: v.endpoint, enabled: v.enabled, labels: splitList(v.labels), ...secretOf(v) } }),
    onSuccess: (w) => { qc.setQueryData(["webhook", webhookId], w); void qc.invalidateQueries({ queryKey: ["webhooks"] }); setSaved(true); },
  });
  const remove = useMutation({
    mutationFn: () => call("deleteWebhook", { params: { id: webhookId } }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ["webhooks"] }); void navigate({ to: "/notifications" }); },
  });
  if (webhook.error) return <ErrorBox error={webhook.error} />;
  if (!webhook.data || !spaces) return <Loading what="the webhook" />;
  const w = webhook.data;
  return (
    <>
      <p className="muted"><Link to="/notifications">Notifications</Link></p>
      <h1>{w.name} <span className="muted">(webhook)</span></h1>
      <p className="muted">{w.stackId ? <>Receives the runs of stack <Link to="/stacks/$stackId" params={{ stackId: w.stackId }}>{w.stackId}</Link>.</> : <>A named webhook of space {w.spaceId}, attached to stacks by its labels.</>}</p>
      {!allows(role, "admin") ? <p className="muted">Endpoint <code>{w.endpoint}</code>. Changing it needs the admin role in space {w.spaceId}.</p> : (
        <>
          <WebhookForm key={w.updatedAt} initial={settingsOf(w)} spaces={spaces} creating={false} checksum={w.secretChecksum} error={save.error} pending={save.isPending} submitLabel="Save webhook" onSubmit={(v) => { setSaved(false); save.mutate(v); }} />
          <SavedNotice saved={saved} error={save.error} />
          <DeleteSection name={w.name} what="webhook" buttonLabel="Delete webhook" consequence="Deleting removes the endpoint and its deliveries." pending={remove.isPending} error={remove.error} onDelete={() => remove.mutate()} />
        </>
      )}
    </>
  );
}
