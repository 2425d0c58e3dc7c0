import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { allows, useRole } from "../../app/roles.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";
import { PublishProviderVersion } from "./PublishProviderVersion.js";

const size = (bytes: number) => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/** One provider: its versions, newest first, with their platforms and signing key; yanking and deleting for writers. */
export function ProviderPage() {
  const { namespace, type } = useParams({ from: "/providers/$namespace/$type" });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const ns = useQuery({ queryKey: ["provider-namespace", namespace], queryFn: () => call("getProviderNamespace", { params: { id: namespace } }) });
  const versions = useQuery({ queryKey: ["provider-versions", namespace, type], queryFn: () => call("listProviderVersions", { params: { id: namespace, type } }) });
  const role = useRole(ns.data?.spaceId);
  const canWrite = allows(role, "write") && !ns.data?.shipped;
  const changed = () => { void qc.invalidateQueries({ queryKey: ["provider-versions", namespace, type] }); void qc.invalidateQueries({ queryKey: ["providers"] }); };
  const removeVersion = useMutation({ mutationFn: (version: string) => call("deleteProviderVersion", { params: { id: namespace, type, version } }), onSuccess: changed });
  const yank = useMutation({ mutationFn: (v: { version: string; yanked: boolean }) => call("updateProviderVersion", { params: { id: namespace, type, version: v.version }, body: { yanked: v.yanked } }), onSuccess: changed });
  const removeProvider = useMutation({
    mutationFn: () => call("deleteProvider", { params: { id: namespace, type } }),
    onSuccess: () => { changed(); void navigate({ to: "/providers" }); },
  });
  if (versions.error) return <ErrorBox error={versions.error} />;
  if (!versions.data) return <Loading what="the provider's versions" />;
  return (
    <>
      <p className="muted"><Link to="/providers">Providers</Link> / <Link to="/provider-namespaces/$namespaceId" params={{ namespaceId: namespace }}>{namespace}</Link></p>
      <h1>{namespace}/{type}</h1>
      {ns.data?.shipped ? <p className="muted">Shipped with Gantry: published at start-up, not deletable.</p> : null}
      {versions.data.items.length === 0 ? <p className="muted">No versions.</p> : (
        <table>
          <thead><tr><th scope="col">Version</th><th scope="col">Protocols</th><th scope="col">Platforms</th><th scope="col">Signed with</th><th scope="col">Published</th>{canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
          <tbody>
            {versions.data.items.map((v) => (
              <tr key={v.version}>
                <td>{v.version}{v.yanked ? <span className="muted"> (yanked: left out of terraform's version lists; exact pins still install)</span> : null}</td>
                <td>{v.protocols.join(", ")}</td>
                <td><ul>{v.platforms.map((p) => <li key={p.filename}>{p.os}/{p.arch} <span className="muted">({size(p.size)}, <code>{p.h1.slice(0, 14)}…</code>)</span></li>)}</ul></td>
                <td><code>{v.keyId}</code></td>
                <td><TimeAgo at={v.createdAt} /></td>
                {canWrite ? (
                  <td><button type="button" disabled={yank.isPending} onClick={() => yank.mutate({ version: v.version, yanked: !v.yanked })}>{v.yanked ? `Unyank ${v.version}` : `Yank ${v.version}`}</button>{" "}
                    <button type="button" className="danger" disabled={removeVersion.isPending} onClick={() => { if (window.confirm(`Delete ${namespace}/${type} ${v.version}? Lock files naming its hashes will no longer install.`)) removeVersion.mutate(v.version); }}>Delete {v.version}</button></td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {yank.error ? <ErrorBox error={yank.error} /> : null}
      {removeVersion.error ? <ErrorBox error={removeVersion.error} /> : null}
      {canWrite ? (
        <section aria-labelledby="publish-version-h">
          <h2 id="publish-version-h">Publish a version</h2>
          <PublishProviderVersion namespace={namespace} type={type} />
        </section>
      ) : null}
      {canWrite ? (
        <section aria-labelledby="delete-provider-h">
          <h2 id="delete-provider-h">Delete the provider</h2>
          <p>Deleting removes every version: stacks that require it no longer initialise.</p>
          <button type="button" className="danger" disabled={removeProvider.isPending} onClick={() => { if (window.confirm(`Delete ${namespace}/${type} and all its versions?`)) removeProvider.mutate(); }}>Delete provider</button>
          {removeProvider.error ? <ErrorBox error={removeProvider.error} /> : null}
        </section>
      ) : null}
    </>
  );
}
