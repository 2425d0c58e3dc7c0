/**
 * Profiling aid for the "each plan a new document" figure: per round, parses a fresh copy of the
 * bench plan (as the bench does, just before use), evaluates it once by the five bench queries,
 * then once more. Prints each query's median time on the new document against its median time
 * again on the same one (medians, as the bench's headline: a GC pause cannot move them); under
 * `node --cpu-prof` the evaluation subtrees show the per-document work
 * (parsing sits in its own `fromJSONText` subtree).
 *
 * Bundle first, as the bench does: `npx esbuild packages/rego/bench/fresh-profile.ts --bundle
 * --platform=node --format=esm --packages=external --outfile=node_modules/.cache/fresh.mjs`,
 * then `node [--cpu-prof] node_modules/.cache/fresh.mjs [rounds] [mode] [queries]`.
 */
import { compile, fromJSONText, toJS } from "../src/index.js";
import type { Value } from "../src/index.js";
import { planInput } from "./plan-input.js";
import { QUERIES, REGO_POLICIES } from "./policies.js";

const rounds = Number(process.argv[2] ?? 300);
/**
 * Mode `new`: skip the second evaluation, so that a profile holds only new-document work; `same`:
 * every round evaluates one document parsed once (the bench's "again and again" line); anything
 * else (e.g. `all`): both evaluations on a new document per round.
 */
const mode = process.argv[3];
const onlyNew = mode === "new";
const inputText = JSON.stringify(planInput(1000));
const same = mode === "same" ? fromJSONText(inputText) : undefined;
/**
 * Optional third argument: the positions in QUERIES of the queries to run (`1,2,3,4`), else all.
 * The others are not evaluated at all: work they would share (partitions, input-only rules) then
 * falls to the first query run.
 */
const only = process.argv[4]?.split(",").map(Number);
const timed = (q: number): boolean => !only || only.includes(q);
const policy = compile({ modules: Object.entries(REGO_POLICIES).map(([file, source]) => ({ file, source })) });
const prepared = QUERIES.map((q) => policy.prepare(q));
const evalQuery = (i: number, input: Value): unknown => {
  const v = prepared[i]!.eval({ input })[0]?.expressions[0]?.value;
  return v === undefined ? [] : toJS(v);
};
const cpuMs = (fn: () => void): number => { const s = process.cpuUsage(); fn(); const u = process.cpuUsage(s); return (u.user + u.system) / 1000; };

// Warm up on a few documents (fresh each) so the JIT has seen every path.
for (let i = 0; i < 20; i++) { const v = fromJSONText(inputText); for (let q = 0; q < QUERIES.length; q++) evalQuery(q, v); }

const fresh = QUERIES.map((): number[] => []);
const again = QUERIES.map((): number[] => []);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
let total = 0;
for (let r = 0; r < rounds; r++) {
  const doc = same ?? fromJSONText(inputText);
  total += cpuMs(() => { for (let q = 0; q < QUERIES.length; q++) if (timed(q)) fresh[q]!.push(cpuMs(() => evalQuery(q, doc))); });
  if (!onlyNew) for (let q = 0; q < QUERIES.length; q++) if (timed(q)) again[q]!.push(cpuMs(() => evalQuery(q, doc)));
}
console.log(`${rounds} new documents: ${(total / rounds).toFixed(3)} ms/plan on average (five queries timed one by one); medians per query:`);
QUERIES.forEach((q, i) => console.log(`  ${q.padEnd(32)} new ${median(fresh[i]!).toFixed(3)} ms, again ${median(again[i]!).toFixed(3)} ms`));
