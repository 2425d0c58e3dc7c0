/** An edge of the dependency graph: `stack` depends on `upstream`. */
export interface DependencyEdge {
  stack: string;
  upstream: string;
}

function upstreamsOf(edges: readonly DependencyEdge[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const e of edges) m.set(e.stack, [...(m.get(e.stack) ?? []), e.upstream]);
  return m;
}

function downstreamsOf(edges: readonly DependencyEdge[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const e of edges) m.set(e.upstream, [...(m.get(e.upstream) ?? []), e.stack]);
  return m;
}

/**
 * The cycle that adding `stack -> upstream` would close, as the path of stack ids from `stack`
 * back to itself, or null when the graph stays acyclic. A stack depending on itself is the
 * shortest cycle.
 *
 * @example
 * cycleIfAdded([{ stack: "b", upstream: "a" }], { stack: "a", upstream: "b" }); // ["a", "b", "a"]
 */
export function cycleIfAdded(edges: readonly DependencyEdge[], added: DependencyEdge): string[] | null {
  if (added.stack === added.upstream) return [added.stack, added.stack];
  // A cycle exists iff `stack` is already upstream (transitively) of `upstream`.
  const up = upstreamsOf(edges);
  const seen = new Set<string>();
  const path = (from: string): string[] | null => {
    if (from === added.stack) return [from];
    if (seen.has(from)) return null;
    seen.add(from);
    for (const next of up.get(from) ?? []) {
      const rest = path(next);
      if (rest) return [from, ...rest];
    }
    return null;
  };
  const tail = path(added.upstream);
  return tail ? [added.stack, ...tail] : null;
}

/** Every stack upstream of `stack`, transitively (not `stack` itself). */
export function allUpstream(edges: readonly DependencyEdge[], stack: string): Set<string> {
  return closure(upstreamsOf(edges), stack);
}

/**
 * Every stack downstream of `stack`, transitively, in dependency order (a stack comes after
 * every one of its upstreams within the set).
 */
export function downstreamInOrder(edges: readonly DependencyEdge[], stack: string): string[] {
  const down = closure(downstreamsOf(edges), stack);
  const up = upstreamsOf(edges);
  const order: string[] = [];
  const placed = new Set<string>([stack]);
  // Kahn's algorithm restricted to the closure; sorted ids keep the order stable.
  let ready = [...down].filter((s) => (up.get(s) ?? []).every((u) => !down.has(u))).sort();
  while (ready.length > 0) {
    for (const s of ready) {
      order.push(s);
      placed.add(s);
    }
    ready = [...down].filter((s) => !placed.has(s) && (up.get(s) ?? []).every((u) => placed.has(u) || !down.has(u))).sort();
  }
  return order;
}

function closure(next: Map<string, string[]>, start: string): Set<string> {
  const out = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (out.has(s) || s === start) continue;
    out.add(s);
    stack.push(...(next.get(s) ?? []));
  }
  return out;
}
