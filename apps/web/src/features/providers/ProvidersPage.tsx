import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, SelectField, splitList, TextField } from "../../app/forms.js";
import { useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox, Loading } from "../../app/ui.js";

/** Where versions come from: the release files, uploaded on a namespace's page or with the CLI. */
function PublishingHowTo() {
  return (
    <p className="muted">
      Versions are published from the files a release build wrote (the zips, <code>*_SHA256SUMS</code> and <code>*_SHA256SUMS.sig</code>):
      on the namespace's page, or with <code>gantry provider publish &lt;namespace&gt;/&lt;type&gt; &lt;version&gt; --dir dist/</code> (see docs/registry.md).
    </p>
  );
}

/** The provider registry: providers with their latest version, and the namespaces that hold them. */
export function ProvidersPage() {
  const providers = useQuery({ queryKey: ["providers"], queryFn: () => call("listProviders", {}) });
  const namespaces = useQuery({ queryKey: ["provider-namespaces"], queryFn: () => call("listProviderNamespaces", { query: { limit: 1000 } }) });
  return (
    <>
      <h1>Providers</h1>
      <p className="muted">Terraform providers served by Gantry's registry (<code>providers.v1</code>) to runs and to people. <Link to="/registry-tokens">Registry tokens</Link> let your own terraform read them.</p>
      <PublishingHowTo />
      <section aria-labelledby="providers-h">
        <h2 id="providers-h">Providers</h2>
        {providers.error ? <ErrorBox error={providers.error} /> : !providers.data ? <Loading what="providers" /> : providers.data.items.length === 0 ? <p className="muted">No providers you can read.</p> : (
          <table>
            <thead><tr><th scope="col">Provider</th><th scope="col">Source address</th><th scope="col">Latest</th><th scope="col">Versions</th><th scope="col">Space</th></tr></thead>
            <tbody>
              {providers.data.items.map((p) => (
                <tr key={`${p.namespace}/${p.type}`}>
                  <td><Link to="/providers/$namespace/$type" params={{ namespace: p.namespace, type: p.type }}>{p.namespace}/{p.type}</Link></td>
                  <td><code>{p.source}</code></td><td>{p.latestVersion ?? "—"}</td><td>{p.versions}</td><td>{p.spaceId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="namespaces-h">
        <h2 id="namespaces-h">Namespaces</h2>
        {namespaces.error ? <ErrorBox error={namespaces.error} /> : !namespaces.data ? <Loading what="namespaces" /> : namespaces.data.items.length === 0 ? <p className="muted">No namespaces you can read.</p> : (
          <table>
            <thead><tr><th scope="col">Namespace</th><th scope="col">Space</th><th scope="col">Shared with</th><th scope="col">GPG keys</th></tr></thead>
            <tbody>
              {namespaces.data.items.map((n) => (
                <tr key={n.id}>
                  <td><Link to="/provider-namespaces/$namespaceId" params={{ namespaceId: n.id }}>{n.id}</Link>{n.shipped ? <span className="muted"> (shipped with Gantry)</span> : null}</td>
                  <td>{n.spaceId}</td><td>{n.sharedWith.length ? n.sharedWith.join(", ") : "—"}</td><td>{n.keys.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NewNamespaceForm />
      </section>
    </>
  );
}

/** Registering a namespace needs the write role in its space (as the API says); only such spaces are offered. */
function NewNamespaceForm() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const spaces = useSpacesAllowing("write");
  const [id, setId] = useState("");
  const [spaceId, setSpaceId] = useState("");
  const [sharedWith, setSharedWith] = useState("");
  const create = useMutation({
    mutationFn: (space: string) => call("createProviderNamespace", { body: { id: id.trim(), spaceId: space, sharedWith: splitList(sharedWith) } }),
    onSuccess: (n) => { void qc.invalidateQueries({ queryKey: ["provider-namespaces"] }); void navigate({ to: "/provider-namespaces/$namespaceId", params: { namespaceId: n.id } }); },
  });
  if (!spaces || spaces.length === 0) return null;
  const chosen = spaceId || (spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id);
  return (
    <form className="edit" noValidate aria-label="new provider namespace" onSubmit={(e) => { e.preventDefault(); create.mutate(chosen); }}>
      <h3>New namespace</h3>
      <FormError error={create.error} fields={["id", "spaceId", "sharedWith"]} />
      <TextField name="id" idPrefix="ns" label="Namespace" value={id} onChange={setId} error={create.error} hint="the first part of the source address, e.g. acme in <host>/acme/widgets" />
      <SelectField name="spaceId" idPrefix="ns" label="Space" value={chosen} onChange={setSpaceId} error={create.error} options={spaces.map((s) => ({ value: s.id, label: s.name === s.id ? s.id : `${s.name} (${s.id})` }))} hint="people and stacks that can read this space (and the spaces shared with) may use its providers" />
      <TextField name="sharedWith" idPrefix="ns" label="Shared with spaces" value={sharedWith} onChange={setSharedWith} error={create.error} hint="comma-separated space ids" />
      <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create namespace</button></div>
    </form>
  );
}
