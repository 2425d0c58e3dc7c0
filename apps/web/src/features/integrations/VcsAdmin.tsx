import { useMutation, useQueryClient } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { spaceOptions, useFormState } from "../../app/entity-form.js";
import { FormError, SelectField, TextField } from "../../app/forms.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox } from "../../app/ui.js";

const refresh = (qc: ReturnType<typeof useQueryClient>) => void qc.invalidateQueries({ queryKey: ["vcs-integrations"] });

/** A new GitHub or raw git integration in a space the person administers; the token and webhook secret are write-only. */
export function NewVcsForm() {
  const qc = useQueryClient();
  const spaces = useSpacesAllowing("admin");
  const [v, set] = useFormState({ name: "", spaceId: "", provider: "GITHUB", apiBaseUrl: "", token: "", webhookSecret: "" });
  const github = v.provider === "GITHUB";
  const create = useMutation({
    mutationFn: (spaceId: string) => call("createVcsIntegration", { body: {
      name: v.name, spaceId, provider: v.provider as "GITHUB" | "RAW_GIT",
      ...(github && v.apiBaseUrl ? { apiBaseUrl: v.apiBaseUrl } : {}), ...(github && v.token ? { token: v.token } : {}), ...(github && v.webhookSecret ? { webhookSecret: v.webhookSecret } : {}),
    } }),
    onSuccess: () => { set("name")(""); refresh(qc); },
    onSettled: () => { set("token")(""); set("webhookSecret")(""); },
  });
  if (!spaces || spaces.length === 0) return null;
  const spaceId = v.spaceId || (spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id);
  const error = create.error;
  return (
    <form className="edit" noValidate aria-label="new VCS integration" onSubmit={(e) => { e.preventDefault(); create.mutate(spaceId); }}>
      <FormError error={error} fields={["name", "spaceId", "provider", "apiBaseUrl", "token", "webhookSecret"]} />
      <TextField name="name" idPrefix="vcs" label="Name" value={v.name} onChange={set("name")} error={error} />
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

/** Rename and rotate secrets (empty fields stay as they are), and delete, for admins of the integration's space. */
export function VcsRowActions({ id, name, spaceId, github }: { id: string; name: string; spaceId: string; github: boolean }) {
  const qc = useQueryClient();
  const role = useRole(spaceId);
  const [v, set] = useFormState({ name, token: "", webhookSecret: "" });
  const save = useMutation({
    mutationFn: () => call("updateVcsIntegration", { params: { id }, body: { name: v.name, ...(v.token ? { token: v.token } : {}), ...(v.webhookSecret ? { webhookSecret: v.webhookSecret } : {}) } }),
    onSuccess: () => refresh(qc),
    onSettled: () => { set("token")(""); set("webhookSecret")(""); },
  });
  const remove = useMutation({ mutationFn: () => call("deleteVcsIntegration", { params: { id } }), onSuccess: () => refresh(qc) });
  if (!allows(role, "admin")) return null;
  return (
    <details>
      <summary>Edit {name}</summary>
      <form className="edit" noValidate aria-label={`edit VCS integration ${id}`} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <FormError error={save.error} fields={["name", "token", "webhookSecret"]} />
        <TextField name="name" idPrefix={`vcs-${id}`} label="Name" value={v.name} onChange={set("name")} error={save.error} />
        {github ? (
          <>
            <TextField name="token" idPrefix={`vcs-${id}`} label="New token" type="password" autoComplete="off" value={v.token} onChange={set("token")} error={save.error} hint="empty keeps the current one" />
            <TextField name="webhookSecret" idPrefix={`vcs-${id}`} label="New webhook secret" type="password" autoComplete="off" value={v.webhookSecret} onChange={set("webhookSecret")} error={save.error} hint="empty keeps the current one" />
          </>
        ) : null}
        {save.isSuccess && !save.error ? <p role="status">Saved.</p> : null}
        <div className="actions"><button type="submit" className="primary" disabled={save.isPending}>Save {name}</button></div>
      </form>
      <button type="button" className="danger" disabled={remove.isPending} onClick={() => { if (window.confirm(`Delete the VCS integration ${name}?`)) remove.mutate(); }}>Delete {name}</button>
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </details>
  );
}
