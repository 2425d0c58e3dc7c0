import type { VcsIntegration } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { spaceOptions, useFormState } from "../../app/entity-form.js";
import { FormError, SelectField, splitList, TextField } from "../../app/forms.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox } from "../../app/ui.js";

const refresh = (qc: ReturnType<typeof useQueryClient>) => void qc.invalidateQueries({ queryKey: ["vcs-integrations"] });

/** A new GitHub or raw git integration in a space the person administers; the token and webhook secret are write-only. */
export function NewVcsForm() {
  const qc = useQueryClient();
  const spaces = useSpacesAllowing("admin");
  const [v, set] = useFormState({ id: "", name: "", description: "", labels: "", spaceId: "", provider: "GITHUB", apiBaseUrl: "", token: "", webhookSecret: "" });
  const github = v.provider === "GITHUB";
  const create = useMutation({
    mutationFn: (spaceId: string) => call("createVcsIntegration", { body: {
      name: v.name, description: v.description, labels: splitList(v.labels), spaceId, provider: v.provider as "GITHUB" | "RAW_GIT",
      ...(v.id.trim() ? { id: v.id.trim() } : {}),
      ...(github && v.apiBaseUrl ? { apiBaseUrl: v.apiBaseUrl } : {}), ...(github && v.token ? { token: v.token } : {}), ...(github && v.webhookSecret ? { webhookSecret: v.webhookSecret } : {}),
    } }),
    onSuccess: () => { set("name")(""); set("id")(""); set("description")(""); set("labels")(""); refresh(qc); },
    onSettled: () => { set("token")(""); set("webhookSecret")(""); },
  });
  if (!spaces || spaces.length === 0) return null;
  const spaceId = v.spaceId || (spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id);
  const error = create.error;
  return (
    <form className="edit" noValidate aria-label="new VCS integration" onSubmit={(e) => { e.preventDefault(); create.mutate(spaceId); }}>
      <FormError error={error} fields={["id", "name", "description", "labels", "spaceId", "provider", "apiBaseUrl", "token", "webhookSecret"]} />
      <TextField name="name" idPrefix="vcs" label="Name" value={v.name} onChange={set("name")} error={error} />
      <TextField name="id" idPrefix="vcs" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug, permanent: stacks name the integration by it and GitHub's webhook URL ends with it; defaults to one made from the name" />
      <TextField name="description" idPrefix="vcs" label="Description" multiline value={v.description} onChange={set("description")} error={error} />
      <TextField name="labels" idPrefix="vcs" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated" />
      <SelectField name="spaceId" idPrefix="vcs" label="Space" value={spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, spaceId)} />
      <SelectField name="provider" idPrefix="vcs" label="Provider" value={v.provider} onChange={set("provider")} error={error} options={[{ value: "GITHUB", label: "GitHub" }, { value: "RAW_GIT", label: "raw git" }]} />
      {github ? (
        <>
          <TextField name="apiBaseUrl" idPrefix="vcs" label="API URL (optional)" value={v.apiBaseUrl} onChange={set("apiBaseUrl")} error={error} hint="https://api.github.com by default; https://<host>/api/v3 for GitHub Enterprise Server" />
          <TextField name="token" idPrefix="vcs" label="Token (optional)" type="password" autoComplete="off" value={v.token} onChange={set("token")} error={error} hint="sets commit statuses and PR comments; write-only" />
          <TextField name="webhookSecret" idPrefix="vcs" label="Webhook secret" type="password" autoComplete="off" value={v.webhookSecret} onChange={set("webhookSecret")} error={error} hint="the secret GitHub signs webhooks with; write-only" />
        </>
      ) : null}
      <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create VCS integration</button></div>
    </form>
  );
}

type Integration = Pick<VcsIntegration, "id" | "name" | "description" | "labels" | "spaceId" | "provider" | "apiBaseUrl">;
const EDIT_FIELDS = ["name", "description", "labels", "apiBaseUrl", "token", "webhookSecret"];

/**
 * Every setting UpdateVcsIntegration takes, for admins of the integration's space: name,
 * description, labels, the GitHub API URL (sent only when changed: the server judges it with its
 * outbound guard), and new secrets (write-only; empty fields keep the current ones). Delete.
 */
export function VcsRowActions({ integration: i }: { integration: Integration }) {
  const qc = useQueryClient();
  const role = useRole(i.spaceId);
  const github = i.provider === "GITHUB";
  const [v, set] = useFormState({ name: i.name, description: i.description, labels: i.labels.join(", "), apiBaseUrl: i.apiBaseUrl ?? "", token: "", webhookSecret: "" });
  const save = useMutation({
    mutationFn: () => call("updateVcsIntegration", { params: { id: i.id }, body: {
      name: v.name, description: v.description, labels: splitList(v.labels),
      ...(github && v.apiBaseUrl.trim() !== (i.apiBaseUrl ?? "") ? { apiBaseUrl: v.apiBaseUrl.trim() } : {}),
      ...(github && v.token ? { token: v.token } : {}), ...(github && v.webhookSecret ? { webhookSecret: v.webhookSecret } : {}),
    } }),
    onSuccess: () => refresh(qc),
    onSettled: () => { set("token")(""); set("webhookSecret")(""); },
  });
  const remove = useMutation({ mutationFn: () => call("deleteVcsIntegration", { params: { id: i.id } }), onSuccess: () => refresh(qc) });
  if (!allows(role, "admin")) return null;
  const at = `vcs-${i.id}`;
  return (
    <details>
      <summary>Edit {i.name}</summary>
      <form className="edit" noValidate aria-label={`edit VCS integration ${i.id}`} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <FormError error={save.error} fields={EDIT_FIELDS} />
        <TextField name="name" idPrefix={at} label="Name" value={v.name} onChange={set("name")} error={save.error} />
        <TextField name="description" idPrefix={at} label="Description" multiline value={v.description} onChange={set("description")} error={save.error} />
        <TextField name="labels" idPrefix={at} label="Labels" value={v.labels} onChange={set("labels")} error={save.error} hint="comma-separated" />
        {github ? (
          <>
            <TextField name="apiBaseUrl" idPrefix={at} label="API URL" value={v.apiBaseUrl} onChange={set("apiBaseUrl")} error={save.error} hint="https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server; internal addresses are refused unless the operator admits them" />
            <TextField name="token" idPrefix={at} label="New token" type="password" autoComplete="off" value={v.token} onChange={set("token")} error={save.error} hint="write-only; empty keeps the current one" />
            <TextField name="webhookSecret" idPrefix={at} label="New webhook secret" type="password" autoComplete="off" value={v.webhookSecret} onChange={set("webhookSecret")} error={save.error} hint="write-only; empty keeps the current one" />
          </>
        ) : null}
        {save.isSuccess && !save.error && !save.isPending ? <p role="status">Saved.</p> : null}
        <div className="actions"><button type="submit" className="primary" disabled={save.isPending}>Save {i.name}</button></div>
      </form>
      <button type="button" className="danger" disabled={remove.isPending} onClick={() => { if (window.confirm(`Delete the VCS integration ${i.name}?`)) remove.mutate(); }}>Delete {i.name}</button>
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </details>
  );
}
