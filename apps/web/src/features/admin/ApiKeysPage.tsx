import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";

/** The person's API keys (every key for a root admin); a new key's secret is shown once, here. */
export function ApiKeysPage() {
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => call("listApiKeys", {}) });
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation({
    mutationFn: () => call("createApiKey", { body: { name } }),
    onSuccess: (k) => { setCreated({ name: k.apiKey.name, secret: k.secret }); setName(""); void qc.invalidateQueries({ queryKey: ["api-keys"] }); },
  });
  const revoke = useMutation({ mutationFn: (id: string) => call("deleteApiKey", { params: { id } }), onSuccess: () => void qc.invalidateQueries({ queryKey: ["api-keys"] }) });
  return (
    <>
      <h1>API keys</h1>
      <p className="muted">For terraform reading Gantry's registry only, a <Link to="/registry-tokens">registry token</Link> holds less power than an API key.</p>
      {created ? (
        <div className="secret-once" role="status">
          <p><strong>Key {created.name} created.</strong> Copy its secret now: Gantry keeps only a hash and will not show it again.</p>
          <code>{created.secret}</code> <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      ) : null}
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); create.mutate(); }} aria-label="create an API key">
        <div><label htmlFor="key-name">New key name</label><input id="key-name" value={name} onChange={(e) => setName(e.target.value)} /></div>
        <button type="submit" disabled={!name || create.isPending}>Create key</button>
      </form>
      {create.error ? <ErrorBox error={create.error} /> : null}
      {keys.error ? <ErrorBox error={keys.error} /> : !keys.data ? <Loading what="API keys" /> : (
        <table>
          <thead><tr><th scope="col">Key</th><th scope="col">User</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td><td>{k.userId}</td><td><TimeAgo at={k.createdAt} /></td><td><TimeAgo at={k.lastUsedAt} /></td><td>{k.expiresAt ? <TimeAgo at={k.expiresAt} /> : "never"}</td>
                <td><button type="button" className="link" onClick={() => revoke.mutate(k.id)}>Revoke {k.name}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.error ? <ErrorBox error={revoke.error} /> : null}
    </>
  );
}
