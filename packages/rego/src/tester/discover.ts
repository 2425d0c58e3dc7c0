import type { Rule } from "../ast/types.js";
import type { CompiledPolicy } from "../compiler/compiler.js";
import type { Location } from "../errors.js";

/** A test found in the policy: a rule whose name has a segment starting with `test_`. */
export interface DiscoveredTest {
  /** `data.pkg` */
  package: string;
  /** The rule name after the package, e.g. `test_allow` or `a.test_b`. */
  name: string;
  /** Full ref, `data.pkg.test_allow`. */
  fullName: string;
  location: Location;
  /** `todo_test_` rules are reported as skipped, never run. */
  skip: boolean;
}

function ruleName(r: Rule): string | undefined {
  const parts: string[] = [];
  for (const p of r.path) {
    if (p.type !== "scalar" || typeof p.value !== "string") return undefined;
    parts.push(p.value);
  }
  return parts.join(".");
}

/** Finds test rules in module order (functions are not tests: they need arguments). */
export function discoverTests(policy: CompiledPolicy): DiscoveredTest[] {
  const seen = new Set<string>();
  const out: DiscoveredTest[] = [];
  for (const m of policy.modules) {
    for (const r of m.rules) {
      if (r.kind === "function" || r.isDefault) continue;
      const name = ruleName(r);
      if (!name) continue;
      const segs = name.split(".");
      const isTest = segs.some((s) => s.startsWith("test_"));
      const isTodo = segs.some((s) => s.startsWith("todo_test_"));
      if (!isTest && !isTodo) continue;
      const pkg = ["data", ...m.package].join(".");
      const fullName = `${pkg}.${name}`;
      if (seen.has(fullName)) continue;
      seen.add(fullName);
      out.push({ package: pkg, name, fullName, location: r.loc, skip: isTodo });
    }
  }
  return out;
}
