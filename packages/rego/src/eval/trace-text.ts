import type { Expr, Rule, Term } from "../ast/types.js";
import { INFIX_BUILTINS } from "../parser/parser.js";
import { RNumber } from "../value/index.js";

const INFIX = Object.fromEntries(Object.entries(INFIX_BUILTINS).map(([sym, name]) => [name, sym]));

function name(n: string): string { return n.startsWith("$") ? "_" : n; }

/** A term on one line, as a trace shows it. */
export function termText(t: Term): string {
  switch (t.type) {
    case "scalar": return t.value instanceof RNumber ? t.value.toString() : JSON.stringify(t.value);
    case "var": return name(t.name);
    case "ref": {
      let s = t.head.type === "var" ? name(t.head.name) : `(${termText(t.head)})`;
      for (const p of t.path) {
        if (p.type === "scalar" && typeof p.value === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value)) s += "." + p.value;
        else s += `[${termText(p)}]`;
      }
      return s;
    }
    case "array": return `[${t.items.map(termText).join(", ")}]`;
    case "set": return t.items.length ? `{${t.items.map(termText).join(", ")}}` : "set()";
    case "object": return `{${t.entries.map(([k, v]) => `${termText(k)}: ${termText(v)}`).join(", ")}}`;
    case "call": {
      if (t.op === "internal.member_2") return `${termText(t.args[0]!)} in ${termText(t.args[1]!)}`;
      if (t.op === "internal.member_3") return `${termText(t.args[0]!)}, ${termText(t.args[1]!)} in ${termText(t.args[2]!)}`;
      const sym = INFIX[t.op];
      if (sym && t.args.length === 2) return `${termText(t.args[0]!)} ${sym} ${termText(t.args[1]!)}`;
      if (sym && t.args.length === 3) return `${termText(t.args[2]!)} = ${termText(t.args[0]!)} ${sym} ${termText(t.args[1]!)}`;
      return `${t.op}(${t.args.map(termText).join(", ")})`;
    }
    case "arraycomp": return `[${termText(t.term)} | ${t.body.map(exprText).join("; ")}]`;
    case "setcomp": return `{${termText(t.term)} | ${t.body.map(exprText).join("; ")}}`;
    case "objectcomp": return `{${termText(t.key)}: ${termText(t.value)} | ${t.body.map(exprText).join("; ")}}`;
    case "template": return `$"${t.parts.map((p) => (typeof p === "string" ? p : `{${termText(p)}}`)).join("")}"`;
  }
}

/** An expression on one line, as a trace shows it. */
export function exprText(e: Expr): string {
  let s = e.negated ? "not " : "";
  switch (e.kind) {
    case "term": s += termText(e.term); break;
    case "unify": s += `${termText(e.left)} ${e.op} ${termText(e.right)}`; break;
    case "some": s += `some ${e.vars.map((v) => name(v.name)).join(", ")}`; break;
    case "somein": s += `some ${e.key ? termText(e.key) + ", " : ""}${termText(e.value)} in ${termText(e.domain)}`; break;
    case "every": s += `every ${e.key ? termText(e.key) + ", " : ""}${termText(e.value)} in ${termText(e.domain)} { ${e.body.map(exprText).join("; ")} }`; break;
  }
  for (const w of e.withs) s += ` with ${termText(w.target)} as ${termText(w.value)}`;
  return s;
}

/** A rule's document path, `data.pkg.rule`, as OPA prints the rule in trace events. */
export function rulePath(r: Rule): string {
  return ["data", ...r.module.package].join(".") + r.path.map((p, i) => (i === 0 && p.type === "scalar" ? "." + String(p.value) : termText({ type: "ref", head: { type: "var", name: "", loc: p.loc }, path: [p], loc: p.loc }))).join("");
}
