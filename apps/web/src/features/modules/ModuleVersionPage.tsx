import type { ModuleVersion } from "@gantry/contract";
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
        ["Published", <TimeAgo key="t" at={d.createdAt} />], ["Published by", d.publishedBy ?? "unknown (published before Gantry recorded it)"], ["Archive", `${d.size} bytes, sha256 ${d.sha256.slice(0, 16)}…`],
      ]} />
      {d.state === "YANKED" ? <p className="muted">Yanked: terraform no longer lists it; configurations pinned to exactly {d.version} still download it.</p> : null}
      <VersionTests tests={d.tests} />
      <VersionImpact impact={d.impact} state={d.state} />
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

/** The version's test cases and their TESTING runs (a version waits in PENDING on them). */
function VersionTests({ tests }: { tests: ModuleVersion["tests"] }) {
  if (tests.length === 0) return null;
  return (
    <section aria-labelledby="tests-h">
      <h2 id="tests-h">Tests</h2>
      <table aria-label="tests">
        <thead><tr><th scope="col">Test</th><th scope="col">Root</th><th scope="col">Outcome</th><th scope="col">Run</th></tr></thead>
        <tbody>
          {tests.map((t) => (
            <tr key={t.name}>
              <td>{t.name}{t.negative ? <span className="muted"> (negative: passes when its run fails)</span> : null}</td>
              <td><code>{t.projectRoot}</code></td>
              <td>{t.outcome}</td>
              <td>{t.runId ? <>{t.runId} <span className="muted">{t.runState}</span></> : <span className="muted">not started</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** What becoming ACTIVE did to the module's consumers: which constraints admit it, the runs queued, skips, TRIGGER policy errors. */
function VersionImpact({ impact, state }: { impact: ModuleVersion["impact"]; state: ModuleVersion["state"] }) {
  return (
    <section aria-labelledby="impact-h">
      <h2 id="impact-h">Impact on consumers</h2>
      {!impact ? <p className="muted">{state === "PENDING" ? "Not yet: the version waits on its tests." : state === "FAILED" ? "None: its tests failed, so it never became active." : "Not recorded for this version."}</p> : (
        <>
          {impact.consumers.length === 0 ? <p className="muted">No stack used the module when this version became active.</p> : (
            <table aria-label="impact">
              <thead><tr><th scope="col">Stack</th><th scope="col">Was using</th><th scope="col">Constraint</th><th scope="col">Admits this version</th><th scope="col">Queued run</th></tr></thead>
              <tbody>
                {impact.consumers.map((c) => {
                  const run = impact.triggered.find((t) => t.stackId === c.stackId);
                  const skip = impact.skipped.find((s) => s.stackId === c.stackId);
                  return (
                    <tr key={c.stackId}>
                      <td><Link to="/stacks/$stackId" params={{ stackId: c.stackId }}>{c.stackId}</Link></td>
                      <td>{c.currentVersion}</td>
                      <td>{c.constraint ? <code>{c.constraint}</code> : <span className="muted">none</span>}</td>
                      <td>{c.admits ? "yes" : "no"}</td>
                      <td>{run ? <Link to="/stacks/$stackId/runs/$runId" params={{ stackId: c.stackId, runId: run.runId }}>{run.type} {run.runId}</Link> : skip ? <span className="muted">skipped: {skip.reason}</span> : <span className="muted">none</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {impact.policyErrors.length ? <div role="alert" className="error"><p>TRIGGER policy errors:</p><ul>{impact.policyErrors.map((e) => <li key={e}>{e}</li>)}</ul></div> : null}
        </>
      )}
    </section>
  );
}
