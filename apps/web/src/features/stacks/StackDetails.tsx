import type { AppliedEntity } from "@gantry/contract";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { Loading } from "../../app/ui.js";
import { DependencyGraph } from "./DependencyGraph.js";
import { StackAutomation } from "./StackAutomation.js";
import { StackDependencies } from "./StackDependencies.js";
import { StackEnvironment } from "./StackEnvironment.js";
import { StackOutputsSection, StackResourcesSection } from "./StackState.js";

/**
 * The lower part of a stack's page: outputs, resources, dependencies, drift detection and
 * schedules, the environment, and why each policy, context and integration applies. Each asks
 * the server for its own data when it first renders (StackPage defers it past the runs).
 */
export function StackDetails({ stackId, canWrite }: { stackId: string; canWrite: boolean }) {
  const explain = useQuery({ queryKey: ["explain", stackId], queryFn: () => call("explainStack", { params: { id: stackId } }) });
  return (
    <>
      <div className="grid2">
        <StackOutputsSection stackId={stackId} />
        <StackResourcesSection stackId={stackId} />
      </div>
      <section aria-labelledby="deps-h">
        <h2 id="deps-h">Dependencies</h2>
        <DependencyGraph stackId={stackId} />
        <StackDependencies stackId={stackId} canWrite={canWrite} />
      </section>
      <StackAutomation stackId={stackId} canWrite={canWrite} />
      <div className="grid2">
        <section aria-labelledby="env-h">
          <h2 id="env-h">Environment</h2>
          <StackEnvironment stackId={stackId} contexts={explain.data?.contexts} />
        </section>
        <section aria-labelledby="explain-h">
          <h2 id="explain-h">Policies, contexts and integrations</h2>
          {explain.data ? (
            <>
              <Applied title="Policies" items={explain.data.policies} />
              <Applied title="Contexts" items={explain.data.contexts} />
              <Applied title="Integrations" items={explain.data.integrations} />
            </>
          ) : <Loading what="attachments" />}
        </section>
      </div>
    </>
  );
}

function reason(r: AppliedEntity["reasons"][number]): string {
  return r.kind === "direct" ? "attached directly" : r.stackLabel ? `label ${r.label} matches stack label ${r.stackLabel}` : `label ${r.label}`;
}

function Applied({ title, items }: { title: string; items: AppliedEntity[] }) {
  return (
    <>
      <h3>{title}</h3>
      {items.length === 0 ? <p className="muted">None.</p> : (
        <ul>
          {items.map((e) => (
            <li key={e.id}>
              {e.kind === "policy" ? <Link to="/policies/$policyId" params={{ policyId: e.id }}>{e.name}</Link> : e.name}
              {e.type ? <span className="muted"> ({e.type})</span> : null}: {e.reasons.map(reason).join("; ")}
              {e.throughSpaces.length > 1 ? <span className="muted"> — through {e.throughSpaces.join(" → ")}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
