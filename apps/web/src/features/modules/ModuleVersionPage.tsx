import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Facts, Loading, TimeAgo } from "../../app/ui.js";
import { VersionState } from "./ModulePage.js";

/** One version of a module: where it came from and its changelog since the previous version. */
export function ModuleVersionPage() {
  const { moduleId, version } = useParams({ from: "/modules/$moduleId/versions/$version" });
  const v = useQuery({ queryKey: ["module-version", moduleId, version], queryFn: () => call("getModuleVersion", { params: { id: moduleId, version } }) });
  if (v.error) return <ErrorBox error={v.error} />;
  if (!v.data) return <Loading what="the version" />;
  const d = v.data;
  const log = d.changelog;
  return (
    <>
      <p className="muted"><Link to="/modules">Modules</Link> / <Link to="/modules/$moduleId" params={{ moduleId }}>{moduleId}</Link></p>
      <h1>{moduleId} {d.version} <VersionState state={d.state} /></h1>
      <Facts items={[
        ["Commit", <code key="c">{d.commit}</code>], ["Tag", d.tag ?? "none (version from the module's config)"], ["Author", d.author],
        ["Published", <TimeAgo key="t" at={d.createdAt} />], ["Archive", `${d.size} bytes, sha256 ${d.sha256.slice(0, 16)}…`],
      ]} />
      {d.state === "YANKED" ? <p className="muted">Yanked: terraform no longer lists it; configurations pinned to exactly {d.version} still download it.</p> : null}
      <section aria-labelledby="changelog-h">
        <h2 id="changelog-h">Changelog {log.previousVersion ? `since ${log.previousVersion}` : "(first version)"}</h2>
        {log.commits.length === 0 ? <p className="muted">No commits touched the module.</p> : (
          <ul aria-label="commits">
            {log.commits.map((c) => <li key={c.sha}><code>{c.sha.slice(0, 8)}</code> {c.message.split("\n")[0]} <span className="muted">({c.author})</span></li>)}
          </ul>
        )}
        <h3>Files changed</h3>
        {log.filesChanged.length === 0 ? <p className="muted">None.</p> : <ul aria-label="files changed">{log.filesChanged.map((f) => <li key={f}><code>{f}</code></li>)}</ul>}
      </section>
    </>
  );
}
