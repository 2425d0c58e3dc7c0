import { readFileSync } from "node:fs";
import { parseModule } from "../src/parser/module-parser.js";
import { RNumber } from "../src/value/index.js";
import type { Module } from "../src/ast/types.js";
import { CASES_DIR } from "../conformance/harness.js";

/** Every module of OPA's conformance cases that parses in its case's Rego version. */
export function conformanceModules(version: "v1" | "v0"): { id: string; source: string }[] {
  const cases = JSON.parse(readFileSync(`${CASES_DIR}/cases-${version}.json`, "utf8")) as { file: string; index: number; modules?: string[] }[];
  const out: { id: string; source: string }[] = [];
  for (const c of cases) {
    (c.modules ?? []).forEach((source, i) => {
      try {
        parseModule(source, "m.rego", version === "v1" ? 1 : 0);
        out.push({ id: `${c.file}#${c.index}/${i}`, source });
      } catch { /* cases about parse errors */ }
    });
  }
  return out;
}

const DROPPED_IMPORTS = /^(rego\.v1|future\.keywords(\..*)?)$/;

/**
 * A module's rules and imports without locations, so that two spellings of one policy compare
 * equal: wildcards lose their generated numbers, `p { true }` is the constant `p`, the
 * imports v1 makes redundant are left out, and `=` versus `:=` in a head is not a difference.
 */
export function ruleShape(m: Module): string {
  const seen = new WeakSet<object>();
  const strip = (x: unknown): unknown => {
    if (x instanceof RNumber) return `n:${x.toString()}`;
    if (Array.isArray(x)) return x.map(strip);
    if (x && typeof x === "object") {
      if (seen.has(x)) return "<cycle>";
      seen.add(x);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) {
        if (k === "loc" || k === "endRow" || k === "module" || k === "assign" || k === "packageLoc" || k === "regoVersion" || k === "file") continue;
        out[k] = strip(v);
      }
      if (out.type === "var" && typeof out.name === "string" && out.name.startsWith("$")) out.name = "_";
      seen.delete(x);
      return out;
    }
    return x;
  };
  const plainTrue = (b: Module["rules"][number]["body"]): boolean => b.length === 1 && b[0]!.kind === "term" && !b[0]!.negated && b[0]!.withs.length === 0 && b[0]!.term.type === "scalar" && b[0]!.term.value === true;
  const rules = m.rules.map((r) => strip({
    ...r,
    body: plainTrue(r.body) && r.elses.length === 0 ? [] : r.body,
    elses: r.elses.map((e) => ({ ...e, body: plainTrue(e.body) ? [] : e.body })),
  }));
  const imports = m.imports.filter((i) => !DROPPED_IMPORTS.test(importText(i.path))).map(strip);
  return JSON.stringify({ package: m.package, imports, rules });
}

function importText(t: Module["imports"][number]["path"]): string {
  if (t.type === "var") return t.name;
  if (t.type !== "ref" || t.head.type !== "var") return "";
  return [t.head.name, ...t.path.map((p) => (p.type === "scalar" ? String(p.value) : "?"))].join(".");
}
