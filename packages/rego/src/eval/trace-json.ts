import { RArray, RNumber, RSet, toJS } from "../value/index.js";
import type { Value } from "../value/index.js";
import type { Body, Expr, Rule, Term } from "../ast/types.js";
import type { Location } from "../errors.js";
import type { TraceEvent } from "./trace.js";

/**
 * The trace as `opa eval --explain <mode> --format json` writes it under `explanation`: OPA's
 * `topdown.Event` encoded by Go's default JSON (field names as declared), the node as OPA's
 * JSON AST (`{"type": "ref", "value": [...]}` terms, `{"index", "terms"}` expressions, a
 * rule's `head` and `body`), locals as `{name, type, value}`.
 *
 * @example
 * const { trace } = policy.prepare("data.p.allow").explain({ input });
 * JSON.stringify(traceJSON(trace)); // '[{"Op":"Enter","Node":[...],...}]'
 */
export function traceJSON(events: readonly TraceEvent[]): unknown[] {
  return events.map((e) => ({
    Op: e.op,
    Node: e.ast === undefined ? null : nodeJSON(e.ast, e.index ?? 0),
    Location: e.location ? locationJSON(e.location) : null,
    QueryID: e.queryId,
    ParentID: e.parentId,
    Locals: e.locals ? e.locals.map(([name, v]) => ({ name, type: typeName(v), value: toJS(v) })) : null,
    LocalMetadata: e.locals ? Object.fromEntries(e.locals.map(([name]) => [name, { name, location: null }])) : null,
    Message: e.message ?? "",
    // Index events name the rules looked up: an ast.Ref, the terms of `data.pkg.rule`.
    Ref: e.ref ? (ref(...e.ref) as { value: unknown[] }).value : null,
  }));
}

/** What a trace event is about: a rule, a body (query) or one expression. */
export type TraceNode = Rule | Body | Expr;

function nodeJSON(n: TraceNode, index: number): unknown {
  if (Array.isArray(n)) return bodyJSON(n);
  if ("kind" in n && "negated" in n) return exprJSON(n, index);
  return ruleJSON(n);
}

function locationJSON(l: Location): unknown {
  return { file: !l.file || l.file === "query" ? "" : l.file, row: l.row, col: l.col };
}

/** OPA's type names of values (`ast.ValueName`). */
function typeName(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  if (v instanceof RNumber) return "number";
  return v instanceof RArray ? "array" : v instanceof RSet ? "set" : "object";
}

function ref(...names: string[]): unknown {
  return { type: "ref", value: names.map((n, i) => (i === 0 ? { type: "var", value: n } : { type: "string", value: n })) };
}

function termJSON(t: Term): unknown {
  switch (t.type) {
    case "scalar": {
      const v = t.value;
      if (v === null) return { type: "null", value: null };
      if (typeof v === "boolean") return { type: "boolean", value: v };
      if (typeof v === "string") return { type: "string", value: v };
      return { type: "number", value: Number(v.toString()) };
    }
    case "var": return { type: "var", value: t.name.startsWith("$") ? "_" : t.name };
    case "ref": return { type: "ref", value: [termJSON(t.head), ...t.path.map(termJSON)] };
    case "array": return { type: "array", value: t.items.map(termJSON) };
    case "set": return { type: "set", value: t.items.map(termJSON) };
    case "object": return { type: "object", value: t.entries.map(([k, v]) => [termJSON(k), termJSON(v)]) };
    case "call": return { type: "call", value: [ref(...t.op.split(".")), ...t.args.map(termJSON)] };
    case "arraycomp": return { type: "arraycomprehension", value: { term: termJSON(t.term), body: bodyJSON(t.body) } };
    case "setcomp": return { type: "setcomprehension", value: { term: termJSON(t.term), body: bodyJSON(t.body) } };
    case "objectcomp": return { type: "objectcomprehension", value: { key: termJSON(t.key), value: termJSON(t.value), body: bodyJSON(t.body) } };
    case "template": return { type: "templatestring", value: t.parts.map((p) => (typeof p === "string" ? { type: "string", value: p } : termJSON(p))) };
  }
}

function bodyJSON(b: Body): unknown[] {
  return b.map((e, i) => exprJSON(e, i));
}

/** An expression as OPA encodes it: a call's terms are `[operator, operands...]`. */
function exprJSON(e: Expr, index: number): unknown {
  let terms: unknown;
  switch (e.kind) {
    case "term":
      terms = e.term.type === "call" ? [ref(...e.term.op.split(".")), ...e.term.args.map(termJSON)] : termJSON(e.term);
      break;
    case "unify": terms = [ref(e.op === ":=" ? "assign" : "eq"), termJSON(e.left), termJSON(e.right)]; break;
    case "some": terms = { symbols: e.vars.map(termJSON) }; break;
    case "somein": {
      const member = e.key ? [ref("internal", "member_3"), termJSON(e.key), termJSON(e.value), termJSON(e.domain)] : [ref("internal", "member_2"), termJSON(e.value), termJSON(e.domain)];
      terms = { symbols: [{ type: "call", value: member }] };
      break;
    }
    case "every":
      terms = { key: e.key ? termJSON(e.key) : null, value: termJSON(e.value), domain: termJSON(e.domain), body: bodyJSON(e.body) };
      break;
  }
  const out: Record<string, unknown> = { index, terms };
  if (e.negated) out.negated = true;
  if (e.withs.length > 0) out.with = e.withs.map((w) => ({ target: termJSON(w.target), value: termJSON(w.value) }));
  return out;
}

function ruleJSON(r: Rule): unknown {
  const name = r.path[0]?.type === "scalar" ? String(r.path[0].value) : "";
  const head: Record<string, unknown> = {
    name,
    ref: [{ type: "var", value: name }, ...r.path.slice(1).map(termJSON)],
  };
  if (r.args) head.args = r.args.map(termJSON);
  if (r.kind === "set" && r.key) head.key = termJSON(r.key);
  else head.value = termJSON(r.value);
  if (r.assign) head.assign = true;
  const out: Record<string, unknown> = { head, body: bodyJSON(r.body) };
  if (r.isDefault) out.default = true;
  return out;
}
