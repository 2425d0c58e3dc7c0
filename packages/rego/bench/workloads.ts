/**
 * The three Rego benchmark workloads (run through rego.bench.ts):
 *  1. four plan policies over a 1,000-resource `terraform show -json` plan vs the same checks
 *     hand-written in TypeScript (issue #19 target ratio <= 3x);
 *  2. a prepared `allow` rule over a small input (issue #19: at least 1,000,000 evals/s);
 *  3. compile time of a 500-line policy.
 */
import { compile, fromJSONText, toJS } from "../src/index.js";
import type { Value } from "../src/index.js";
import { planInput } from "./plan-input.js";
import { QUERIES, REGO_POLICIES, checkInTypeScript } from "./policies.js";

/**
 * Milliseconds per iteration, in CPU time of this process: the machine is shared, and wall time
 * under load measures the neighbours as much as the code.
 */
function timeIt(iterations: number, fn: () => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / iterations;
}

/**
 * The best of `rounds` timings of each function, the rounds interleaved: on a shared machine
 * the neighbours only ever add time, so the minimum is the least disturbed figure, and
 * interleaving exposes both sides to the same disturbance.
 */
function bestOf(rounds: number, fns: [iterations: number, fn: () => void][]): number[] {
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    fns.forEach(([n, fn], i) => { best[i] = Math.min(best[i]!, timeIt(n, fn)); });
  }
  return best;
}

function planWorkload(): void {
  const inputText = JSON.stringify(planInput(1000));
  const inputValue = fromJSONText(inputText);
  const inputJS = JSON.parse(inputText) as unknown;
  const policy = compile({ modules: Object.entries(REGO_POLICIES).map(([file, source]) => ({ file, source })) });
  const prepared = QUERIES.map((q) => policy.prepare(q));
  const runRegoOn = (input: Value): string[][] => prepared.map((p) => {
    const v = p.eval({ input })[0]?.expressions[0]?.value;
    return v === undefined ? [] : (toJS(v) as string[]);
  });
  const runRego = (): string[][] => runRegoOn(inputValue);
  // Both implementations must agree before their speed means anything.
  const a = JSON.stringify(runRego());
  const b = JSON.stringify(checkInTypeScript(inputJS));
  if (a !== b) throw new Error(`rego and typescript disagree:\n${a.slice(0, 400)}\n${b.slice(0, 400)}`);
  const findings = checkInTypeScript(inputJS).reduce((n, s) => n + s.length, 0);
  timeIt(200, runRego);
  timeIt(2000, () => checkInTypeScript(inputJS));
  const [rego, ts] = bestOf(9, [[40, runRego], [400, () => checkInTypeScript(inputJS)]]) as [number, number];
  const parse = timeIt(30, () => fromJSONText(inputText));
  // The engine shares work between queries over one input object (iteration indexes, values of
  // rules that depend on the input alone), so the rounds above do it once for all; a real plan
  // is parsed and then evaluated once by these five queries. Measured that way too, each side on
  // a freshly parsed copy (parsing not timed): the first touches of a new document cost both.
  const cpuMs = (fn: () => void): number => { const s = process.cpuUsage(); fn(); const u = process.cpuUsage(s); return (u.user + u.system) / 1000; };
  let freshRego = Infinity;
  let freshTs = Infinity;
  for (let r = 0; r < 5; r++) {
    let [a, b] = [0, 0];
    for (let i = 0; i < 10; i++) {
      const value = fromJSONText(inputText);
      a += cpuMs(() => runRegoOn(value));
      const js = JSON.parse(inputText) as unknown;
      b += cpuMs(() => checkInTypeScript(js));
    }
    freshRego = Math.min(freshRego, a / 10);
    freshTs = Math.min(freshTs, b / 10);
  }
  console.log("1. plan policies (4 policies, 5 queries, 1,000 resource changes, %d findings)", findings);
  console.log("   each plan a new document, as on the platform (CPU time, best of 5 rounds of 10):");
  console.log(`   rego:        ${freshRego.toFixed(3)} ms/plan`);
  console.log(`   typescript:  ${freshTs.toFixed(3)} ms/plan`);
  console.log(`   ratio:       ${(freshRego / freshTs).toFixed(2)}x (issue #19 target <= 3x)`);
  console.log(`   the same document evaluated again and again (work shared per document is done once): rego ${rego.toFixed(3)} ms, typescript ${ts.toFixed(3)} ms (${(rego / ts).toFixed(2)}x)`);
  console.log(`   (parsing the ${(inputText.length / 1024).toFixed(0)} KiB input losslessly: ${parse.toFixed(3)} ms, not included above)`);
}

function allowWorkload(): void {
  const policy = compile({
    modules: [{
      file: "login.rego",
      source: `package spacelift
default allow := false
allow if input.session.admin
allow if {
  some team in input.session.teams
  team == "ops"
  "prod" in input.stack.labels
}
`,
    }],
  });
  const q = policy.prepare("data.spacelift.allow");
  const input = fromJSONText('{"session": {"admin": false, "teams": ["dev", "ops"]}, "stack": {"labels": ["prod", "eu"]}}');
  if (q.eval({ input })[0]?.expressions[0]?.value !== true) throw new Error("allow benchmark policy must allow");
  timeIt(20_000, () => q.eval({ input }));
  const [ms] = bestOf(5, [[50_000, () => q.eval({ input })]]) as [number];
  console.log("2. prepared allow rule over a small input");
  console.log(`   ${(1000 / ms).toFixed(0)} evals/s (${(ms * 1000).toFixed(2)} µs/eval; issue #19 target >= 1,000,000 evals/s)`);
}

function compileWorkload(): void {
  const lines = ["package bench.big", "", "import rego.v1", ""];
  let i = 0;
  while (lines.length < 500) {
    lines.push(
      `limit_${i} := ${i * 10}`,
      `deny contains msg if {`,
      `  some rc in input.terraform.resource_changes`,
      `  rc.type == "type_${i}"`,
      `  count(object.get(rc.change.after, "items", [])) > limit_${i}`,
      `  msg := sprintf("%s has too many items (rule ${i})", [rc.address])`,
      `}`,
      `f_${i}(x) := y if { y := x + ${i} }`,
      "",
    );
    i++;
  }
  const source = lines.join("\n");
  const modules = [{ file: "big.rego", source }];
  timeIt(5, () => compile({ modules }));
  const [ms] = bestOf(5, [[6, () => compile({ modules })]]) as [number];
  console.log(`3. compile a ${lines.length}-line policy (${i} deny rules, ${i} functions)`);
  console.log(`   ${ms.toFixed(2)} ms (issue #19 target < 40 ms, type checking included)`);
}

/** Runs every workload, printing absolute figures and ratios. */
export function runAll(): void {
  planWorkload();
  allowWorkload();
  compileWorkload();
}
