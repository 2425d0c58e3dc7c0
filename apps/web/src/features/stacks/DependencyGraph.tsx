import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Loading } from "../../app/ui.js";

/** How far the graph walks from the stack: enough for real chains, bounded for a page load. */
const MAX_STACKS = 60;

interface Graph { nodes: string[]; edges: [string, string][] }

/** Walks the stack's dependencies both ways (upstream and downstream) breadth-first. */
async function walk(start: string): Promise<Graph> {
  const seen = new Set([start]);
  const edges = new Map<string, [string, string]>();
  let frontier = [start];
  while (frontier.length > 0 && seen.size < MAX_STACKS) {
    const answers = await Promise.all(frontier.map((id) => call("listStackDependencies", { params: { id } }).catch(() => ({ dependsOn: [], dependents: [] }))));
    frontier = [];
    for (const a of answers) {
      for (const d of [...a.dependsOn, ...a.dependents]) {
        edges.set(d.id, [d.dependsOnStackId, d.stackId]);
        for (const s of [d.dependsOnStackId, d.stackId]) if (!seen.has(s) && seen.size < MAX_STACKS) { seen.add(s); frontier.push(s); }
      }
    }
  }
  return { nodes: [...seen], edges: [...edges.values()].filter(([a, b]) => seen.has(a) && seen.has(b)) };
}

/** Layers by longest path from a root (upstream stacks left, their dependents right). */
export function layout(g: Graph): Map<string, { layer: number; row: number }> {
  const layer = new Map(g.nodes.map((n) => [n, 0]));
  for (let i = 0; i < g.nodes.length; i++) {
    let moved = false;
    for (const [up, down] of g.edges) if (layer.get(down)! < layer.get(up)! + 1) { layer.set(down, layer.get(up)! + 1); moved = true; }
    if (!moved) break;
  }
  const rows = new Map<number, number>();
  const out = new Map<string, { layer: number; row: number }>();
  for (const n of [...g.nodes].sort()) {
    const l = layer.get(n)!;
    const row = rows.get(l) ?? 0;
    rows.set(l, row + 1);
    out.set(n, { layer: l, row });
  }
  return out;
}

const W = 170, H = 34, GX = 60, GY = 16;

/** The stack's dependency DAG as a picture: each box a stack (a link), each arrow "runs after". */
export function DependencyGraph({ stackId }: { stackId: string }) {
  const navigate = useNavigate();
  const graph = useQuery({ queryKey: ["dependency-graph", stackId], queryFn: () => walk(stackId) });
  const deps = useQuery({ queryKey: ["dependencies", stackId], queryFn: () => call("listStackDependencies", { params: { id: stackId } }) });
  if (graph.error) return <ErrorBox error={graph.error} />;
  if (!graph.data || !deps.data) return <Loading what="dependencies" />;
  const g = graph.data;
  if (g.edges.length === 0) return <p className="muted">This stack has no dependencies.</p>;
  const pos = layout(g);
  const layers = Math.max(...[...pos.values()].map((p) => p.layer)) + 1;
  const rows = Math.max(...[...pos.values()].map((p) => p.row)) + 1;
  const xy = (n: string) => ({ x: pos.get(n)!.layer * (W + GX) + 4, y: pos.get(n)!.row * (H + GY) + 4 });
  const refs = deps.data.dependsOn.flatMap((d) => d.references.map((r) => `${d.dependsOnStackId}.${r.outputName} → ${r.inputName}`));
  return (
    <figure className="dag">
      <svg width={layers * (W + GX)} height={rows * (H + GY) + 8} role="group" aria-label={`dependency graph of ${stackId}: ${g.edges.map(([a, b]) => `${b} depends on ${a}`).join("; ")}`}>
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" className="arrowhead" /></marker></defs>
        {g.edges.map(([a, b]) => {
          const p = xy(a), q = xy(b);
          return <path key={`${a}>${b}`} className="edge" markerEnd="url(#arrow)" d={`M ${p.x + W} ${p.y + H / 2} C ${p.x + W + GX / 2} ${p.y + H / 2}, ${q.x - GX / 2} ${q.y + H / 2}, ${q.x} ${q.y + H / 2}`} />;
        })}
        {g.nodes.map((n) => {
          const { x, y } = xy(n);
          return (
            <a key={n} href={`/stacks/${encodeURIComponent(n)}`} aria-label={`stack ${n}`} onClick={(e) => { e.preventDefault(); void navigate({ to: "/stacks/$stackId", params: { stackId: n } }); }}>
              <rect x={x} y={y} width={W} height={H} rx={6} className={n === stackId ? "node current" : "node"} />
              <text x={x + 10} y={y + H / 2 + 5}>{n.length > 20 ? `${n.slice(0, 19)}…` : n}</text>
            </a>
          );
        })}
      </svg>
      <figcaption className="muted">
        Arrows point from a stack to the stacks that run after it. {refs.length ? <>Outputs read: {refs.join(", ")}.</> : null}
        {" "}{deps.data.dependsOn.length ? <>Depends on {deps.data.dependsOn.map((d, i) => <span key={d.id}>{i ? ", " : ""}<Link to="/stacks/$stackId" params={{ stackId: d.dependsOnStackId }}>{d.dependsOnStackId}</Link></span>)}.</> : null}
      </figcaption>
    </figure>
  );
}
