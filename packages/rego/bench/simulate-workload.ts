/**
 * Issue #14's policy what-if, at the engine: a PLAN policy (saved body) and a changed body each
 * decide 1,000 recorded 100-resource plan inputs, and the messages that appear or disappear are
 * listed per input, as `POST /api/v1/policies/{id}/simulate` does on the server (which also
 * decrypts each recorded input: included here as JSON parsing of the stored text). Target: the
 * whole replay under 5 s.
 */
import { compile, toJS } from "../src/index.js";
import { planInput } from "./plan-input.js";
import { REGO_POLICIES } from "./policies.js";

const INPUTS = 1_000;
const RESOURCES = 100;
const BOUND_MS = 5_000;

/** The saved body: the benchmark's tagging policy, as package spacelift. */
const saved = REGO_POLICIES["required-tags.rego"]!.replace("package spacelift.tags", "package spacelift");
/** The tried body: also denies instance types outside an allowed list (t3.micro, the generated one, is no longer allowed). */
const tried = `${saved}
deny contains sprintf("%s: instance type %s is not allowed", [rc.address, rc.change.after.instance_type]) if {
  some rc in input.terraform.resource_changes
  rc.type == "aws_instance"
  not rc.change.after.instance_type in {"t3.nano", "t3.small"}
}
`;

function denyOf(value: unknown): Set<string> {
  const v = (value as { deny?: string[] } | undefined)?.deny;
  return new Set(Array.isArray(v) ? v : []);
}

export function runSimulation(): void {
  // Recorded inputs differ from one another (stack id, resource names), as real ones do.
  const stored: string[] = [];
  for (let i = 0; i < INPUTS; i++) {
    const input = planInput(RESOURCES) as { spacelift: { stack: { id: string } } };
    input.spacelift.stack.id = `stack-${i % 200}`;
    stored.push(JSON.stringify(input).replaceAll('"r1"', `"r1-${i}"`));
  }
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const old = compile({ modules: [{ file: "saved.rego", source: saved }], sanitized: true }).prepare("data.spacelift");
  const next = compile({ modules: [{ file: "tried.rego", source: tried }], sanitized: true }).prepare("data.spacelift");
  let changed = 0;
  let appeared = 0;
  for (const text of stored) {
    const input = JSON.parse(text) as unknown;
    const before = denyOf(toJS(old.eval({ input })[0]!.expressions[0]!.value as never));
    const after = denyOf(toJS(next.eval({ input })[0]!.expressions[0]!.value as never));
    const added = [...after].filter((m) => !before.has(m)).length;
    const removed = [...before].filter((m) => !after.has(m)).length;
    appeared += added;
    if (added || removed) changed++;
  }
  const wall = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (changed === 0) throw new Error("the tried body should change some verdicts: the workload measures nothing");
  console.log(`\npolicy what-if: ${INPUTS} recorded ${RESOURCES}-resource plan inputs, saved and tried body each`);
  console.log(`  ${changed} inputs change (${appeared} new deny messages); wall ${wall.toFixed(0)} ms, CPU ${cpuMs.toFixed(0)} ms; under ${BOUND_MS / 1000} s: ${wall < BOUND_MS ? "yes" : cpuMs < BOUND_MS ? "CPU yes, wall NO (machine loaded)" : "NO"}`);
}
