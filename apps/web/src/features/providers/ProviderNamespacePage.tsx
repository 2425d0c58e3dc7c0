import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, TextField } from "../../app/forms.js";
import { allows, useRole } from "../../app/roles.js";
import { ErrorBox, Facts, Loading, TimeAgo } from "../../app/ui.js";
import { PublishProviderVersion } from "./PublishProviderVersion.js";

/**
 * A provider namespace: its providers, and the GPG keys that sign its SHA256SUMS (adding and
 * removing them needs the write role in the namespace's space, as publishing does).
 */
export function ProviderNamespacePage() {
  const { namespaceId } = useParams({ from: "/provider-namespaces/$namespaceId" });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const ns = useQuery({ queryKey: ["provider-namespace", namespaceId], queryFn: () => call("getProviderNamespace", { params: { id: namespaceId } }) });
  const providers = useQuery({ queryKey: ["providers"], queryFn: () => call("listProviders", {}) });
  const role = useRole(ns.data?.spaceId);
  const [armor, setArmor] = useState("");
  const changed = () => { void qc.invalidateQueries({ queryKey: ["provider-namespace", namespaceId] }); void qc.invalidateQueries({ queryKey: ["provider-namespaces"] }); };
  const addKey = useMutation({ mutationFn: () => call("addProviderGpgKey", { params: { id: namespaceId }, body: { asciiArmor: armor } }), onSuccess: () => { setArmor(""); changed(); } });
  const removeKey = useMutation({ mutationFn: (keyId: string) => call("deleteProviderGpgKey", { params: { id: namespaceId, keyId } }), onSuccess: changed });
  const remove = useMutation({
    mutationFn: () => call("deleteProviderNamespace", { params: { id: namespaceId } }),
    onSuccess: () => { changed(); void navigate({ to: "/providers" }); },
  });
  if (ns.error) return <ErrorBox error={ns.error} />;
  if (!ns.data) return <Loading what="the namespace" />;
  const n = ns.data;
  const canWrite = allows(role, "write") && !n.shipped;
  const mine = (providers.data?.items ?? []).filter((p) => p.namespace === n.id);
  return (
    <>
      <p className="muted"><Link to="/providers">Providers</Link></p>
      <h1>Namespace {n.id}</h1>
      <Facts items={[["Space", n.spaceId], ["Shared with", n.sharedWith.length ? n.sharedWith.join(", ") : "no other space"], ["Shipped with Gantry", n.shipped ? "yes (read-only)" : "no"]]} />
      <section aria-labelledby="ns-providers-h">
        <h2 id="ns-providers-h">Providers</h2>
        {mine.length === 0 ? <p className="muted">None published yet.</p> : (
          <ul>{mine.map((p) => <li key={p.type}><Link to="/providers/$namespace/$type" params={{ namespace: n.id, type: p.type }}>{p.type}</Link> <span className="muted">latest {p.latestVersion ?? "—"}</span></li>)}</ul>
        )}
      </section>
      {canWrite && n.keys.length > 0 ? (
        <section aria-labelledby="publish-h">
          <h2 id="publish-h">Publish a version</h2>
          <p className="muted">A first version of a new type creates the provider; the CLI does the same from a release directory (<code>gantry provider publish {n.id}/&lt;type&gt; &lt;version&gt; --dir dist/</code>).</p>
          <PublishProviderVersion namespace={n.id} />
        </section>
      ) : null}
      <section aria-labelledby="gpg-h">
        <h2 id="gpg-h">GPG keys</h2>
        <p className="muted">A version is accepted only when its SHA256SUMS signature verifies with one of these keys; terraform checks the same signature before installing.</p>
        {n.keys.length === 0 ? <p className="muted">No keys: nothing can be published here until one is added.</p> : (
          <table>
            <thead><tr><th scope="col">Key id</th><th scope="col">Fingerprint</th><th scope="col">Added</th>{canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
            <tbody>
              {n.keys.map((k) => (
                <tr key={k.keyId}>
                  <td><code>{k.keyId}</code></td><td><code>{k.fingerprint}</code></td><td><TimeAgo at={k.createdAt} /></td>
                  {canWrite ? <td><button type="button" disabled={removeKey.isPending} onClick={() => removeKey.mutate(k.keyId)}>Remove key {k.keyId}</button></td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {removeKey.error ? <ErrorBox error={removeKey.error} /> : null}
        {canWrite ? (
          <form className="edit" noValidate aria-label="add GPG key" onSubmit={(e) => { e.preventDefault(); addKey.mutate(); }}>
            <FormError error={addKey.error} fields={["asciiArmor"]} />
            <TextField name="asciiArmor" idPrefix="gpg" label="Public key (ASCII-armored)" multiline value={armor} onChange={setArmor} error={addKey.error} hint="the output of gpg --armor --export <key id>" />
            <div className="actions"><button type="submit" className="primary" disabled={addKey.isPending}>Add key</button></div>
          </form>
        ) : n.shipped ? null : <p className="muted">Adding keys needs the write role in space {n.spaceId}.</p>}
      </section>
      {canWrite ? (
        <section aria-labelledby="delete-ns-h">
          <h2 id="delete-ns-h">Delete the namespace</h2>
          <p>Only an empty namespace can be deleted: delete its providers first.</p>
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => { if (window.confirm(`Delete the namespace ${n.id}?`)) remove.mutate(); }}>Delete namespace</button>
          {remove.error ? <ErrorBox error={remove.error} /> : null}
        </section>
      ) : null}
    </>
  );
}
