import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { call, meQuery } from "../../app/api.js";
import { FormError, TextField } from "../../app/forms.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";

/**
 * The person's registry tokens (from `terraform login`, or made here for a CLI config written by
 * hand): a new token is shown once; a root admin sees and revokes everyone's.
 */
export function RegistryTokensPage() {
  const qc = useQueryClient();
  const me = useQuery(meQuery());
  const tokens = useQuery({ queryKey: ["registry-tokens"], queryFn: () => call("listRegistryTokens", {}) });
  const [description, setDescription] = useState("");
  const create = useMutation({
    mutationFn: () => call("createRegistryToken", { body: { description } }),
    onSuccess: () => { setDescription(""); void qc.invalidateQueries({ queryKey: ["registry-tokens"] }); },
  });
  const revoke = useMutation({ mutationFn: (id: string) => call("deleteRegistryToken", { params: { id } }), onSuccess: () => void qc.invalidateQueries({ queryKey: ["registry-tokens"] }) });
  const host = window.location.host;
  return (
    <>
      <p className="muted"><Link to="/providers">Providers</Link> · <Link to="/modules">Modules</Link> · <Link to="/api-keys">API keys</Link></p>
      <h1>Registry tokens</h1>
      <p>A registry token lets your own terraform read Gantry's modules and providers with your roles, and nothing else; it expires after 90 days. <code>terraform login {host}</code> makes one for you; make one here for a machine where no browser can answer (CI).</p>
      <form className="edit" noValidate aria-label="new registry token" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <FormError error={create.error} fields={["description"]} />
        <TextField name="description" idPrefix="token" label="What it is for" value={description} onChange={setDescription} error={create.error} placeholder="CI terraform" />
        <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create registry token</button></div>
      </form>
      {create.data ? (
        <div role="status" className="secret-once">
          <p><strong>Copy the token now: it is not shown again.</strong></p>
          <p>Your new token: <code>{create.data.secret}</code></p>
          <p>In the CLI config (<code>~/.terraformrc</code>): <code>{`credentials "${host}" { token = "…" }`}</code></p>
        </div>
      ) : null}
      <section aria-labelledby="tokens-h">
        <h2 id="tokens-h">{me.data && tokens.data?.items.some((t) => t.userId !== me.data.id) ? "Everyone's tokens (you are a root admin)" : "Your tokens"}</h2>
        {tokens.error ? <ErrorBox error={tokens.error} /> : !tokens.data ? <Loading what="registry tokens" /> : tokens.data.items.length === 0 ? <p className="muted">No registry tokens.</p> : (
          <table>
            <thead><tr><th scope="col">Token</th><th scope="col">Made</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {tokens.data.items.map((t) => (
                <tr key={t.id}>
                  <td>{t.description}{me.data && t.userId !== me.data.id ? <span className="muted"> (user {t.userId})</span> : null}</td>
                  <td><TimeAgo at={t.createdAt} /></td><td><TimeAgo at={t.expiresAt} /></td><td><TimeAgo at={t.lastUsedAt} /></td>
                  <td><button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate(t.id)}>Revoke {t.description}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {revoke.error ? <ErrorBox error={revoke.error} /> : null}
      </section>
    </>
  );
}
