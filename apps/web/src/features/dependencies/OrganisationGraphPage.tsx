import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { call, spacesQuery } from "../../app/api.js";
import { ErrorBox, Loading, StateBadge } from "../../app/ui.js";
import { layout } from "../stacks/DependencyGraph.js";

export interface GraphSearch {
  spaceId?: string;
  label?: string;
}

const W = 190, H = 34, GX = 60, GY = 14;

/**
 * Every dependency between the stacks the person can read, as one DAG (upstream stacks left),
 * filtered by space or label. Each box is a link (Tab moves through them, Enter opens the
 * stack); the same graph is listed as a table for screen readers and for reading.
 */
export function OrganisationGraphPage() {
  const search = useSearch({ from: "/dependencies" });
  const navigate = useNavigate({ from: "/dependencies" });
  const spaces = useQuery(spacesQuery());
  const graph = useQuery({ queryKey: ["dependency-graph", search], queryFn: () => call("getDependencyGraph", { query: search }) });
  const set = (patch: Partial<GraphSearch>) => void navigate({ search: (s: GraphSearch) => ({ ...s, ...patch }), replace: true });
  const g = graph.data;
  const edges: [string, string][] = g ? g.dependencies.map((d) => [d.dependsOnStackId, d.stackId]) : [];
  const pos = g ? layout({ nodes: g.stacks.map((s) => s.id), edges }) : new Map<string, { layer: number; row: number }>();
  const layers = Math.max(0, ...[...pos.values()].map((p) => p.layer)) + 1;
  const rows = Math.max(0, ...[...pos.values()].map((p) => p.row)) + 1;
  const xy = (n: string) => ({ x: pos.get(n)!.layer * (W + GX) + 4, y: pos.get(n)!.row * (H + GY) + 4 });
  const dim = new Set(g?.stacks.filter((s) => !s.matchesFilter).map((s) => s.id));
  return (
    <>
      <h1>Dependencies</h1>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="g-space">Space</label>
          <select id="g-space" value={search.spaceId ?? ""} onChange={(e) => set({ spaceId: e.target.value || undefined })}>
            <option value="">All spaces</option>
            {spaces.data?.items.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="g-label">Label</label>
          <input id="g-label" defaultValue={search.label ?? ""} placeholder="e.g. env:prod" onChange={(e) => set({ label: e.target.value || undefined })} />
        </div>
      </form>
      {graph.error ? <ErrorBox error={graph.error} /> : null}
      {!g ? <Loading what="the dependency graph" /> : g.dependencies.length === 0 ? <p className="muted">No dependencies between stacks you can read{search.spaceId || search.label ? " match these filters" : ""}.</p> : (
        <>
          <p className="muted" role="status">{g.stacks.length} stacks, {g.dependencies.length} dependencies. Stacks without dependencies are not shown; faded boxes are outside the filter but connected to a stack inside it.</p>
          <figure className="dag">
            <svg width={layers * (W + GX)} height={rows * (H + GY) + 8} role="group" aria-label={`dependency graph: ${g.dependencies.length} dependencies`}>
              <defs><marker id="org-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" className="arrowhead" /></marker></defs>
              {edges.map(([a, b]) => {
                const p = xy(a), q = xy(b);
                return <path key={`${a}>${b}`} className="edge" markerEnd="url(#org-arrow)" d={`M ${p.x + W} ${p.y + H / 2} C ${p.x + W + GX / 2} ${p.y + H / 2}, ${q.x - GX / 2} ${q.y + H / 2}, ${q.x} ${q.y + H / 2}`} />;
              })}
              {g.stacks.map((s) => {
                const { x, y } = xy(s.id);
                return (
                  <a key={s.id} href={`/stacks/${encodeURIComponent(s.id)}`} aria-label={`stack ${s.id} (${s.state}, space ${s.spaceId})`}
                    onClick={(e) => { e.preventDefault(); void navigate({ to: "/stacks/$stackId", params: { stackId: s.id } }); }}>
                    <rect x={x} y={y} width={W} height={H} rx={6} className={dim.has(s.id) ? "node outside" : "node"} />
                    <text x={x + 10} y={y + H / 2 + 5}>{s.id.length > 22 ? `${s.id.slice(0, 21)}…` : s.id}</text>
                  </a>
                );
              })}
            </svg>
            <figcaption className="muted">Arrows point from a stack to the stacks that run after it.</figcaption>
          </figure>
          <details>
            <summary>The same dependencies as a table</summary>
            <table>
              <thead><tr><th scope="col">Stack</th><th scope="col">Runs after</th><th scope="col">State</th><th scope="col">Space</th></tr></thead>
              <tbody>
                {g.dependencies.map((d) => {
                  const s = g.stacks.find((x) => x.id === d.stackId)!;
                  return (
                    <tr key={`${d.stackId}>${d.dependsOnStackId}`}>
                      <td><Link to="/stacks/$stackId" params={{ stackId: d.stackId }}>{d.stackId}</Link></td>
                      <td><Link to="/stacks/$stackId" params={{ stackId: d.dependsOnStackId }}>{d.dependsOnStackId}</Link></td>
                      <td><StateBadge state={s.state} /></td>
                      <td>{s.spaceId}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </details>
        </>
      )}
    </>
  );
}
