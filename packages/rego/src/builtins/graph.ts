import { HashIndex, RArray, RSet } from "../value/index.js";
import type { Value , RObject} from "../value/index.js";
import { obj, operandError } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/** A node's neighbours: a set or array of nodes; null counts as none; absent nodes are undefined. */
function neighbours(graph: RObject, node: Value): readonly Value[] | undefined {
  const edges = graph.get(node);
  if (edges === undefined) return undefined;
  if (edges instanceof RSet) return edges.values();
  if (edges instanceof RArray) return edges.items;
  return [];
}

function initial(v: Value): readonly Value[] {
  if (v instanceof RSet) return v.values();
  if (v instanceof RArray) return v.items;
  throw operandError(2, "one of {set, array}", v);
}

function reachable(args: Value[]): Value {
  const graph = obj(args, 0);
  const reached = new HashIndex();
  const queue = [...initial(args[1] as Value)];
  while (queue.length > 0) {
    const n = queue.shift()!;
    const next = neighbours(graph, n);
    if (next === undefined || reached.find(n) >= 0) continue;
    reached.add(n);
    queue.push(...next);
  }
  return RSet.from(reached.items);
}

/**
 * Every path from each initial node, as OPA builds them: a path ends at a node with no
 * neighbours in the graph (that node included) or just before a node already expanded by an
 * earlier path (that node excluded, which also stops cycles).
 */
function reachablePaths(args: Value[]): Value {
  const graph = obj(args, 0);
  const out: Value[] = [];
  const expanded = new HashIndex();
  const walk = (node: Value, path: Value[]): void => {
    const edges = neighbours(graph, node);
    if (edges === undefined) {
      if (path.length > 0) out.push(new RArray(path));
      return;
    }
    const next = edges.filter((n) => graph.has(n));
    if (next.length === 0) {
      out.push(new RArray([...path, node]));
      return;
    }
    if (expanded.find(node) >= 0) {
      if (path.length > 0) out.push(new RArray(path));
      return;
    }
    expanded.add(node);
    for (const n of next) walk(n, [...path, node]);
  };
  for (const root of initial(args[1] as Value)) walk(root, []);
  return RSet.from(out);
}

/** graph.reachable and graph.reachable_paths. */
export const graphBuiltins: BuiltinDef[] = [
  { name: "graph.reachable", arity: 2, fn: reachable },
  { name: "graph.reachable_paths", arity: 2, fn: reachablePaths },
];
