import type { ModuleVersion } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox, Facts, Labels, Loading, TimeAgo } from "../../app/ui.js";
import { ModuleAttachments } from "./ModuleAttachments.js";
import { ModuleSettingsSection } from "./ModuleForm.js";
import { SourceAddress } from "./SourceAddress.js";

// PENDING: published, waiting on its module tests before terraform is offered it.
const versionTone = { ACTIVE: "ok", PENDING: "wait", FAILED: "bad", YANKED: "idle" } as const;

export function VersionState({ state }: { state: ModuleVersion["state"] }) {
  return <span className={`badge state-${versionTone[state]}`}>{state}</span>;
}

/** A module: how to use it, its versions (with yank for writers), the stacks that use it, its attachments, and (writers) its settings. */
export function ModulePage() {
  const { moduleId } = useParams({ from: "/modules/$moduleId" });
  const qc = useQueryClient();
  const mod = useQuery({ queryKey: ["module", moduleId], queryFn: () => call("getModule", { params: { id: moduleId } }) });
  const versions = useQuery({ queryKey: ["module-versions", moduleId], queryFn: () => call("listModuleVersions", { params: { id: moduleId } }), enabled: !!mod.data });
  const consumers = useQuery({ queryKey: ["module-consumers", moduleId], queryFn: () => call("listModuleConsumers", { params: { id: moduleId } }), enabled: !!mod.data });
  const role = useRole(mod.data?.spaceId);
  const writableSpaces = useSpacesAllowing("write");
  const [ref, setRef] = useState("");
  const refresh = () => { for (const k of ["module", "module-versions", "module-consumers"]) void qc.invalidateQueries({ queryKey: [k, moduleId] }); };
  const publish = useMutation({ mutationFn: () => call("publishModuleVersion", { params: { id: moduleId }, body: { ref } }), onSuccess: () => { setRef(""); refresh(); } });
  const setState = useMutation({ mutationFn: (v: { version: string; state: "ACTIVE" | "YANKED" }) => call("updateModuleVersion", { params: { id: moduleId, version: v.version }, body: { state: v.state } }), onSuccess: refresh });

  if (mod.error) return <ErrorBox error={mod.error} />;
  if (!mod.data) return <Loading what="the module" />;
  const m = mod.data;
  const canWrite = allows(role, "write");
  return (
    <>
      <p className="muted"><Link to="/modules">Modules</Link></p>
      <h1>{m.namespace}/{m.name} <span className="muted">({m.terraformProvider})</span></h1>
      {m.description ? <p>{m.description}</p> : null}
      <SourceAddress source={m.source} version={m.latestVersion} />
      <Facts items={[
        ["Latest version", m.latestVersion ?? "none published"], ["Space", m.spaceId], ["Repository", m.repository], ["Branch", m.branch],
        ["Project root", m.projectRoot || "(repository root)"], ["Shared with", m.sharedWith.length ? m.sharedWith.join(", ") : "its own space"],
        ["New versions trigger", m.triggerConsumers === "NONE" ? "nothing" : `${m.triggerConsumers} runs of consumers`], ["Labels", <Labels key="l" labels={m.labels} />],
      ]} />
      <section aria-labelledby="versions-h">
        <h2 id="versions-h">Versions</h2>
        {canWrite ? (
          <form className="toolbar" onSubmit={(e) => { e.preventDefault(); if (ref.trim()) publish.mutate(); }}>
            <div><label htmlFor="publish-ref">Publish the version at a git ref</label><input id="publish-ref" value={ref} onChange={(e) => setRef(e.target.value)} placeholder="v1.2.0" /></div>
            <button type="submit" disabled={!ref.trim() || publish.isPending}>Publish</button>
          </form>
        ) : null}
        {publish.error ? <ErrorBox error={publish.error} /> : null}
        {publish.data ? (
          <p role="status">
            {publish.data.published.length ? `Published ${publish.data.published.map((v) => v.version).join(", ")}.` : "Nothing published."}
            {publish.data.skipped.map((s) => ` ${s.ref}: ${s.reason}.`).join("")}
            {publish.data.impact.flatMap((i) => i.triggered).length ? ` Queued runs of ${publish.data.impact.flatMap((i) => i.triggered.map((t) => t.stackId)).join(", ")}.` : ""}
          </p>
        ) : null}
        {setState.error ? <ErrorBox error={setState.error} /> : null}
        {versions.error ? <ErrorBox error={versions.error} /> : !versions.data ? <Loading what="versions" /> : versions.data.items.length === 0 ? <p className="muted">No versions yet: push a semver tag (v1.0.0) or publish a ref.</p> : (
          <table aria-label="versions">
            <thead><tr><th scope="col">Version</th><th scope="col">State</th><th scope="col">Commit</th><th scope="col">Published</th>{canWrite ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
            <tbody>
              {versions.data.items.map((v) => (
                <tr key={v.version}>
                  <td><Link to="/modules/$moduleId/versions/$version" params={{ moduleId, version: v.version }}>{v.version}</Link></td>
                  <td><VersionState state={v.state} /></td>
                  <td><code>{v.commit.slice(0, 8)}</code> <span className="muted">{v.message.split("\n")[0]}</span></td>
                  <td><TimeAgo at={v.createdAt} /></td>
                  {canWrite ? (
                    <td>{v.state === "ACTIVE" ? <button type="button" className="link" onClick={() => setState.mutate({ version: v.version, state: "YANKED" })}>Yank {v.version}</button>
                      : v.state === "YANKED" ? <button type="button" className="link" onClick={() => setState.mutate({ version: v.version, state: "ACTIVE" })}>Restore {v.version}</button> : null}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="consumers-h">
        <h2 id="consumers-h">Used by</h2>
        {consumers.error ? <ErrorBox error={consumers.error} /> : !consumers.data ? <Loading what="consumers" /> : consumers.data.items.length === 0 ? <p className="muted">No stack's last init used this module.</p> : (
          <table aria-label="consumers">
            <thead><tr><th scope="col">Stack</th><th scope="col">Version in use</th><th scope="col">Newer version its constraint admits</th><th scope="col">Seen at init</th></tr></thead>
            <tbody>
              {consumers.data.items.map((c) => (
                <tr key={c.stackId}>
                  <td><Link to="/stacks/$stackId" params={{ stackId: c.stackId }}>{c.stackId}</Link></td>
                  <td>{c.version}</td>
                  <td>{c.newerMatchingVersion ? <span className="badge state-wait">newer available: {c.newerMatchingVersion}</span> : <span className="muted">up to date</span>}</td>
                  <td><TimeAgo at={c.updatedAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="module-attachments-h">
        <h2 id="module-attachments-h">Attached contexts and policies</h2>
        <ModuleAttachments moduleId={moduleId} canWrite={canWrite} />
      </section>
      {canWrite && writableSpaces ? <ModuleSettingsSection module={m} spaces={writableSpaces} /> : null}
    </>
  );
}
