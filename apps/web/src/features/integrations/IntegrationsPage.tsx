import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { NewLink } from "../../app/NewLink.js";
import { ErrorBox, Labels, Loading, TimeAgo } from "../../app/ui.js";
import { RotateOidcKeys } from "./RotateOidcKeys.js";
import { NewVcsForm, VcsRowActions } from "./VcsAdmin.js";

/** Cloud (AWS through OIDC) and VCS integrations, and the keys that sign runs' identity tokens. */
export function IntegrationsPage() {
  const aws = useQuery({ queryKey: ["aws-integrations"], queryFn: () => call("listAwsIntegrations", { query: { limit: 1000 } }) });
  const vcs = useQuery({ queryKey: ["vcs-integrations"], queryFn: () => call("listVcsIntegrations", { query: { limit: 1000 } }) });
  const keys = useQuery({ queryKey: ["oidc-keys"], queryFn: () => call("listOidcKeys", {}), retry: false });
  return (
    <>
      <h1>Integrations</h1>
      <section aria-labelledby="aws-h">
        <h2 id="aws-h">AWS</h2>
        <p className="muted">Runs assume these roles with a short-lived OIDC identity token signed by Gantry; no static keys are stored.</p>
        <NewLink to="/new/aws-integration" label="New AWS integration" needed="admin" />
        {aws.error ? <ErrorBox error={aws.error} /> : !aws.data ? <Loading what="AWS integrations" /> : aws.data.items.length === 0 ? <p className="muted">No AWS integrations.</p> : (
          <table>
            <thead><tr><th scope="col">Integration</th><th scope="col">Role</th><th scope="col">Space</th><th scope="col">Session</th><th scope="col">Labels</th></tr></thead>
            <tbody>
              {aws.data.items.map((i) => (
                <tr key={i.id}><td><Link to="/integrations/aws/$integrationId" params={{ integrationId: i.id }}>{i.name}</Link></td><td><code>{i.roleArn}</code></td><td>{i.spaceId}</td>
                  <td>{i.durationSeconds} s{i.region ? `, ${i.region}` : ""}{i.generateCredentialsInWorker ? ", keys made by the worker" : ""}</td><td><Labels labels={i.labels} /></td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="vcs-h">
        <h2 id="vcs-h">Version control</h2>
        {vcs.error ? <ErrorBox error={vcs.error} /> : !vcs.data ? <Loading what="VCS integrations" /> : vcs.data.items.length === 0 ? <p className="muted">No VCS integrations.</p> : (
          <table>
            <thead><tr><th scope="col">Integration</th><th scope="col">Provider</th><th scope="col">Space</th><th scope="col">API URL</th><th scope="col">Webhook path</th><th scope="col">Secrets</th><th scope="col">Labels</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {vcs.data.items.map((v) => (
                <tr key={v.id}>
                  <td>{v.name}{v.name !== v.id ? <span className="muted"> ({v.id})</span> : null}{v.description ? <p className="muted">{v.description}</p> : null}</td><td>{v.provider}</td><td>{v.spaceId}</td>
                  <td>{v.apiBaseUrl ? <code>{v.apiBaseUrl}</code> : "—"}</td><td>{v.webhookPath ? <code>{v.webhookPath}</code> : "—"}</td>
                  <td>{v.provider === "GITHUB" ? <>token: {v.tokenChecksum ? `checksum ${v.tokenChecksum}` : "none"}<br />webhook secret: {v.webhookSecretChecksum ? `checksum ${v.webhookSecretChecksum}` : "none"}</> : "none"}</td>
                  <td><Labels labels={v.labels} /></td>
                  <td><VcsRowActions integration={v} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NewVcsForm />
      </section>
      <section aria-labelledby="oidc-h">
        <h2 id="oidc-h">OIDC signing keys</h2>
        {keys.error ? <p className="muted">Only root admins see the signing keys; the public ones are at <code>/.well-known/jwks</code>.</p> : !keys.data ? <Loading what="signing keys" /> : (
          <table>
            <thead><tr><th scope="col">Key id</th><th scope="col">Algorithm</th><th scope="col">Created</th><th scope="col">Retired</th></tr></thead>
            <tbody>{keys.data.items.map((k) => <tr key={k.kid}><td><code>{k.kid}</code></td><td>{k.algorithm}</td><td><TimeAgo at={k.createdAt} /></td><td>{k.retiredAt ? <TimeAgo at={k.retiredAt} /> : "current"}</td></tr>)}</tbody>
          </table>
        )}
        {keys.data ? <RotateOidcKeys /> : null}
      </section>
    </>
  );
}
