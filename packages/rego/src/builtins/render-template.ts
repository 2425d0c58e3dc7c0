import { RArray, RNumber, RObject, RSet } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, obj, str } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/**
 * strings.render_template: the commonly used subset of Go's text/template — `{{.a.b}}`, `{{.}}`,
 * `{{$var}}`, `{{if X}}…{{else}}…{{end}}`, `{{range .xs}}…{{end}}`,
 * `{{range $i, $v := .xs}}…{{end}}` and `{{/* comments *\/}}`. A missing key prints
 * `<undefined>`, as OPA renders it.
 */

type Node =
  | { kind: "text"; text: string }
  | { kind: "print"; expr: string }
  | { kind: "if"; cond: string; then: Node[]; else: Node[] }
  | { kind: "range"; keyVar?: string; valVar?: string; expr: string; body: Node[]; else: Node[] };

const MISSING = Symbol("missing");
type Scope = { dot: Value | typeof MISSING; vars: Map<string, Value> };

function parse(template: string): Node[] {
  const tokens = template.split(/(\{\{-?\s*[\s\S]*?\s*-?\}\})/);
  // `{{-` and `-}}` trim the whitespace of the neighbouring text, as in Go.
  for (let i = 1; i < tokens.length; i += 2) {
    if (tokens[i]!.startsWith("{{- ")) tokens[i - 1] = tokens[i - 1]!.replace(/\s+$/, "");
    if (tokens[i]!.endsWith(" -}}") && i + 1 < tokens.length) tokens[i + 1] = tokens[i + 1]!.replace(/^\s+/, "");
  }
  let pos = 0;
  const block = (stopAt: string[]): [Node[], string] => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++]!;
      if (!t.startsWith("{{")) {
        if (t) nodes.push({ kind: "text", text: t });
        continue;
      }
      const action = t.replace(/^\{\{-?\s*/, "").replace(/\s*-?\}\}$/, "");
      if (action.startsWith("/*")) continue;
      const word = action.split(/\s+/)[0]!;
      if (stopAt.includes(word)) return [nodes, word];
      if (word === "if") {
        const [then, end] = block(["else", "end"]);
        const [els] = end === "else" ? block(["end"]) : [[]];
        nodes.push({ kind: "if", cond: action.slice(2).trim(), then, else: els });
      } else if (word === "range") {
        const m = /^range\s+(?:(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*)?(.+)$/.exec(action);
        if (!m) throw fail(`template: bad range action ${JSON.stringify(action)}`);
        const [body, end] = block(["else", "end"]);
        const [els] = end === "else" ? block(["end"]) : [[]];
        const [, a, b, expr] = m;
        nodes.push(b ? { kind: "range", keyVar: a, valVar: b, expr: expr!, body, else: els } : { kind: "range", valVar: a, expr: expr!, body, else: els });
      } else {
        nodes.push({ kind: "print", expr: action });
      }
    }
    if (stopAt.length) throw fail("template: unexpected EOF");
    return [nodes, ""];
  };
  return block([])[0];
}

function lookup(expr: string, scope: Scope): Value | typeof MISSING {
  const e = expr.trim();
  if (e === ".") return scope.dot;
  if (/^"/.test(e)) return JSON.parse(e) as string;
  if (/^-?\d+(\.\d+)?$/.test(e)) return RNumber.fromString(e);
  if (e === "true" || e === "false") return e === "true";
  const m = /^(\$\w*|)((?:\.\w+)*)$/.exec(e);
  if (!m) throw fail(`template: unsupported expression ${JSON.stringify(e)}`);
  let cur: Value | typeof MISSING = m[1] ? (scope.vars.get(m[1]) ?? MISSING) : scope.dot;
  for (const field of m[2]!.split(".").slice(1)) {
    cur = cur instanceof RObject ? (cur.get(field) ?? MISSING) : MISSING;
  }
  return cur;
}

function truthy(v: Value | typeof MISSING): boolean {
  if (v === MISSING || v === null || v === false || v === "") return false;
  if (v instanceof RNumber) return v.sign() !== 0;
  if (v instanceof RArray) return v.length > 0;
  if (v instanceof RObject || v instanceof RSet) return v.size > 0;
  return true;
}

/** Go's %v of the JSON-ish data OPA hands to the template. */
function show(v: Value | typeof MISSING): string {
  if (v === MISSING) return "<undefined>";
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || v instanceof RNumber) return String(v);
  if (v instanceof RArray) return `[${v.items.map(show).join(" ")}]`;
  if (v instanceof RSet) return `[${v.values().map(show).join(" ")}]`;
  return `map[${v.entries().map(([k, x]) => `${show(k)}:${show(x)}`).join(" ")}]`;
}

function render(nodes: Node[], scope: Scope): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") out += n.text;
    else if (n.kind === "print") out += show(lookup(n.expr, scope));
    else if (n.kind === "if") out += render(truthy(lookup(n.cond, scope)) ? n.then : n.else, scope);
    else {
      const coll = lookup(n.expr, scope);
      const items: [Value, Value][] = coll instanceof RArray ? coll.items.map((x, i) => [RNumber.fromInt(i), x])
        : coll instanceof RObject ? coll.entries() : coll instanceof RSet ? coll.values().map((x, i) => [RNumber.fromInt(i), x]) : [];
      if (items.length === 0) out += render(n.else, scope);
      for (const [k, v] of items) {
        const vars = new Map(scope.vars);
        if (n.keyVar) vars.set(n.keyVar, k);
        if (n.valVar) vars.set(n.valVar, v);
        out += render(n.body, { dot: v, vars });
      }
    }
  }
  return out;
}

/** strings.render_template(template, vars). */
export const renderTemplateBuiltins: BuiltinDef[] = [
  {
    name: "strings.render_template",
    arity: 2,
    fn: (a) => {
      const vars = obj(a, 1);
      return render(parse(str(a, 0)), { dot: vars, vars: new Map([["$", vars]]) });
    },
  },
];
