import type { StackDependency } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Loading } from "../../app/ui.js";
import { AddDependencyForm } from "./AddDependencyForm.js";
import { dependenciesChanged, dependenciesQuery } from "./dependency-queries.js";
import { DependencyReferences } from "./DependencyReferences.js";
import { StackDeploy } from "./StackDeploy.js";

/**
 * What the stack runs after (its upstream stacks, each with the outputs it reads from it) and
 * what runs after it (downstream), with, for writers: add and remove a dependency, add and
 * remove output references, and deploy the stack with or without its dependents.
 */
export function StackDependencies({ stackId, canWrite }: { stackId: string; canWrite: boolean }) {
  const deps = useQuery(dependenciesQuery(stackId));
  if (deps.error) return <ErrorBox error={deps.error} />;
  if (!deps.data) return <Loading what="dependencies" />;
  const { dependsOn, dependents } = deps.data;
  return (
    <>
      {canWrite ? <StackDeploy stackId={stackId} dependents={dependents.length} /> : null}
      <h3 id="upstream-h">Runs after (upstream)</h3>
      {dependsOn.length === 0 ? <p className="muted">This stack depends on no other stack.</p> : (
        dependsOn.map((d) => <Upstream key={d.id} stackId={stackId} dependency={d} canWrite={canWrite} />)
      )}
      {canWrite ? <AddDependencyForm stackId={stackId} exclude={[stackId, ...dependsOn.map((d) => d.dependsOnStackId)]} /> : (
        <p className="muted">Adding and removing dependencies and output references needs the write role on this stack.</p>
      )}
      <h3>Run after this stack (downstream)</h3>
      {dependents.length === 0 ? <p className="muted">No stack you can read depends on this one.</p> : (
        <table aria-label="downstream stacks">
          <thead><tr><th scope="col">Stack</th><th scope="col">Outputs it reads from this stack</th></tr></thead>
          <tbody>
            {dependents.map((d) => (
              <tr key={d.id}>
                <td><Link to="/stacks/$stackId" params={{ stackId: d.stackId }}>{d.stackId}</Link></td>
                <td>{d.references.length === 0 ? <span className="muted">none</span> : d.references.map((r, i) => <span key={r.id}>{i ? ", " : ""}<code>{r.outputName}</code> → <code>{r.inputName}</code></span>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dependents.length > 0 && canWrite ? <p className="muted">A downstream dependency belongs to the downstream stack: remove it on that stack's page.</p> : null}
    </>
  );
}

/** One upstream stack: a link to it, its removal, and the outputs this stack reads from it. */
function Upstream({ stackId, dependency: d, canWrite }: { stackId: string; dependency: StackDependency; canWrite: boolean }) {
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: () => call("deleteStackDependency", { params: { id: stackId, dependencyId: d.id } }),
    onSuccess: () => dependenciesChanged(qc, stackId, d.dependsOnStackId),
  });
  const headingId = `upstream-${d.id}`;
  return (
    <section className="dependency" aria-labelledby={headingId}>
      <h4 id={headingId}>
        <Link to="/stacks/$stackId" params={{ stackId: d.dependsOnStackId }}>{d.dependsOnStackId}</Link>
      </h4>
      {canWrite ? (
        <p className="actions">
          <button type="button" className="danger" disabled={remove.isPending}
            onClick={() => { if (window.confirm(`Stop depending on ${d.dependsOnStackId}? Its ${d.references.length} output reference(s) go with it.`)) remove.mutate(); }}>
            Remove dependency on {d.dependsOnStackId}
          </button>
        </p>
      ) : null}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
      <DependencyReferences stackId={stackId} dependency={d} canWrite={canWrite} />
    </section>
  );
}
