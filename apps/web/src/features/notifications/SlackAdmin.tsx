import { useMutation, useQueryClient } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { spaceOptions, useFormState } from "../../app/entity-form.js";
import { FormError, SelectField, TextField } from "../../app/forms.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox } from "../../app/ui.js";

/**
 * Connecting a Slack workspace in a space the person administers. The bot token or webhook URL is
 * write-only: the form forgets it once sent and the server only ever returns a checksum.
 */
export function NewSlackForm() {
  const qc = useQueryClient();
  const spaces = useSpacesAllowing("admin");
  const [v, set] = useFormState({ id: "", name: "", spaceId: "", credential: "botToken", secret: "", apiBaseUrl: "" });
  // Only chat.postMessage goes through the API URL; an incoming webhook is a URL of its own.
  const bot = v.credential === "botToken";
  const create = useMutation({
    mutationFn: (spaceId: string) => call("createSlackIntegration", { body: { name: v.name, spaceId, [v.credential]: v.secret, ...(v.id.trim() ? { id: v.id.trim() } : {}), ...(bot && v.apiBaseUrl.trim() ? { apiBaseUrl: v.apiBaseUrl.trim() } : {}) } }),
    onSuccess: () => { set("name")(""); set("id")(""); set("secret")(""); set("apiBaseUrl")(""); void qc.invalidateQueries({ queryKey: ["slack"] }); },
    onError: () => set("secret")(""),
  });
  if (!spaces || spaces.length === 0) return null;
  const spaceId = v.spaceId || (spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id);
  const error = create.error;
  return (
    <form className="edit" noValidate aria-label="connect Slack" onSubmit={(e) => { e.preventDefault(); create.mutate(spaceId); }}>
      <FormError error={error} fields={["id", "name", "spaceId", "botToken", "incomingWebhookUrl", "apiBaseUrl"]} />
      <TextField name="name" idPrefix="slack" label="Name" value={v.name} onChange={set("name")} error={error} />
      <TextField name="id" idPrefix="slack" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug, permanent: the API and the audit trail name the integration by it; defaults to one made from the name" />
      <SelectField name="spaceId" idPrefix="slack" label="Space" value={spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, spaceId)} />
      <SelectField name="credential" idPrefix="slack" label="Connect with" value={v.credential} onChange={set("credential")} error={error} options={[{ value: "botToken", label: "a bot token (any channel a policy names)" }, { value: "incomingWebhookUrl", label: "an incoming webhook URL (one channel)" }]} />
      <TextField name={v.credential} idPrefix="slack" label={v.credential === "botToken" ? "Bot token" : "Incoming webhook URL"} type="password" autoComplete="off" value={v.secret} onChange={set("secret")} error={error} hint="write-only: never shown again, only its checksum" />
      {bot ? <TextField name="apiBaseUrl" idPrefix="slack" label="Slack API URL (optional)" value={v.apiBaseUrl} onChange={set("apiBaseUrl")} error={error} hint="https://slack.com/api by default; another base for a Slack that is not slack.com (e.g. https://slack-gov.com/api); every message passes the outbound guard" /> : null}
      <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Connect Slack</button></div>
    </form>
  );
}

/** Disconnect button for admins of the integration's space. */
export function DeleteSlackButton({ id, name, spaceId }: { id: string; name: string; spaceId: string }) {
  const qc = useQueryClient();
  const role = useRole(spaceId);
  const remove = useMutation({ mutationFn: () => call("deleteSlackIntegration", { params: { id } }), onSuccess: () => void qc.invalidateQueries({ queryKey: ["slack"] }) });
  if (!allows(role, "admin")) return null;
  return (
    <>
      {" "}<button type="button" className="link" disabled={remove.isPending} onClick={() => { if (window.confirm(`Disconnect the Slack integration ${name}?`)) remove.mutate(); }}>Disconnect {name}</button>
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </>
  );
}
