import type { AwsIntegration } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { DeleteSection, EntityForm, NewEntityPage, SavedNotice, spaceOptions, useFormState } from "../../app/entity-form.js";
import { CheckboxField, SelectField, splitList, TextField } from "../../app/forms.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox, Loading } from "../../app/ui.js";

interface Settings { id: string; name: string; spaceId: string; labels: string; roleArn: string; durationSeconds: string; generateCredentialsInWorker: boolean; externalId: string; region: string; audience: string }
const FIELDS = ["id", "name", "spaceId", "labels", "roleArn", "durationSeconds", "generateCredentialsInWorker", "externalId", "region", "audience"];

const settingsOf = (i?: AwsIntegration): Settings => ({
  id: i?.id ?? "", name: i?.name ?? "", spaceId: i?.spaceId ?? "root", labels: (i?.labels ?? []).join(", "), roleArn: i?.roleArn ?? "", durationSeconds: String(i?.durationSeconds ?? 3600),
  generateCredentialsInWorker: i?.generateCredentialsInWorker ?? false, externalId: i?.externalId ?? "", region: i?.region ?? "", audience: i?.audience ?? "",
});
/** Empty optional text is "not set" (null); a duration that is not a number goes as typed so the server names it. */
const bodyOf = (v: Settings) => ({
  name: v.name, spaceId: v.spaceId, labels: splitList(v.labels), roleArn: v.roleArn.trim(), durationSeconds: Number.isFinite(Number(v.durationSeconds)) && v.durationSeconds.trim() !== "" ? Number(v.durationSeconds) : (v.durationSeconds as unknown as number),
  generateCredentialsInWorker: v.generateCredentialsInWorker, externalId: v.externalId.trim() || null, region: v.region.trim() || null, audience: v.audience.trim() || null,
});

function AwsIntegrationForm({ initial, spaces, creating, error, pending, submitLabel, onSubmit }: { initial: Settings; spaces: { id: string; name: string }[]; creating: boolean; error: unknown; pending: boolean; submitLabel: string; onSubmit: (v: Settings) => void }) {
  const [v, set] = useFormState(initial);
  return (
    <EntityForm label={creating ? "new AWS integration" : "AWS integration settings"} fields={FIELDS} error={error} pending={pending} submitLabel={submitLabel} onSubmit={() => onSubmit(v)}>
      <TextField name="name" label="Name" value={v.name} onChange={set("name")} error={error} />
      {creating ? <TextField name="id" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" /> : null}
      <SelectField name="spaceId" label="Space" value={v.spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, v.spaceId)} hint="only spaces where you are an admin are offered" />
      <TextField name="roleArn" label="Role ARN" value={v.roleArn} onChange={set("roleArn")} error={error} hint="the role runs assume with their OIDC token, e.g. arn:aws:iam::123456789012:role/deployer" />
      <TextField name="durationSeconds" label="Session duration (seconds)" type="number" value={v.durationSeconds} onChange={set("durationSeconds")} error={error} hint="900 to 43200" />
      <TextField name="region" label="Region" value={v.region} onChange={set("region")} error={error} hint="AWS_REGION of the runs and the regional STS endpoint; empty leaves it to the code" />
      <TextField name="externalId" label="External id" value={v.externalId} onChange={set("externalId")} error={error} hint="added to the identity token as the externalId claim, for trust conditions" />
      <TextField name="audience" label="Token audience" value={v.audience} onChange={set("audience")} error={error} hint="aud of the identity token; empty means the issuer's host name" />
      <CheckboxField name="generateCredentialsInWorker" label="The worker assumes the role and hands the run temporary keys" checked={v.generateCredentialsInWorker} onChange={set("generateCredentialsInWorker")} error={error} />
      <TextField name="labels" label="Labels" value={v.labels} onChange={set("labels")} error={error} hint="comma-separated; autoattach:<label> attaches it to stacks labelled <label>" />
    </EntityForm>
  );
}

export function NewAwsIntegrationPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: (v: Settings) => call("createAwsIntegration", { body: { ...bodyOf(v), ...(v.id.trim() ? { id: v.id.trim() } : {}) } }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ["aws-integrations"] }); void navigate({ to: "/integrations" }); },
  });
  return (
    <NewEntityPage back={{ to: "/integrations", label: "Integrations" }} title="New AWS integration" needed="admin" what="an integration">
      {(spaces, spaceId) => <AwsIntegrationForm initial={{ ...settingsOf(), spaceId }} spaces={spaces} creating error={create.error} pending={create.isPending} submitLabel="Create integration" onSubmit={(v) => create.mutate(v)} />}
    </NewEntityPage>
  );
}

export function AwsIntegrationPage() {
  const { integrationId } = useParams({ from: "/integrations/aws/$integrationId" });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const integration = useQuery({ queryKey: ["aws-integration", integrationId], queryFn: () => call("getAwsIntegration", { params: { id: integrationId } }) });
  const role = useRole(integration.data?.spaceId);
  const spaces = useSpacesAllowing("admin");
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (v: Settings) => call("updateAwsIntegration", { params: { id: integrationId }, body: bodyOf(v) }),
    onSuccess: (i) => { qc.setQueryData(["aws-integration", integrationId], i); void qc.invalidateQueries({ queryKey: ["aws-integrations"] }); setSaved(true); },
  });
  const remove = useMutation({
    mutationFn: () => call("deleteAwsIntegration", { params: { id: integrationId } }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ["aws-integrations"] }); void navigate({ to: "/integrations" }); },
  });
  if (integration.error) return <ErrorBox error={integration.error} />;
  if (!integration.data || !spaces) return <Loading what="the integration" />;
  const i = integration.data;
  return (
    <>
      <p className="muted"><Link to="/integrations">Integrations</Link></p>
      <h1>{i.name} <span className="muted">(AWS)</span></h1>
      {!allows(role, "admin") ? <p className="muted">Role <code>{i.roleArn}</code>, {i.durationSeconds} s sessions. Changing it needs the admin role in space {i.spaceId}.</p> : (
        <>
          <AwsIntegrationForm key={i.updatedAt} initial={settingsOf(i)} spaces={spaces} creating={false} error={save.error} pending={save.isPending} submitLabel="Save integration" onSubmit={(v) => { setSaved(false); save.mutate(v); }} />
          <SavedNotice saved={saved} error={save.error} />
          <DeleteSection name={i.name} what="AWS integration" buttonLabel="Delete integration" consequence="Deleting detaches it from every stack: their runs no longer get these credentials." pending={remove.isPending} error={remove.error} onDelete={() => remove.mutate()} />
        </>
      )}
    </>
  );
}
