import { RArray, RNumber, RObject, RSet, fromJS, toJSONText, writeJSON } from "../value/index.js";
import type { Value } from "../value/index.js";
import { formatLocation } from "../errors.js";
import type { RegoError } from "../errors.js";
import type { QueryResult } from "../eval/query.js";
import { explainEvents } from "../eval/trace.js";
import type { ExplainMode, TraceEvent } from "../eval/trace.js";
import { traceJSON } from "../eval/trace-json.js";

/** The output formats of `opa eval`. */
export type EvalFormat = "json" | "pretty" | "raw" | "values" | "bindings";

/** Every format, for command-line choices. */
export const EVAL_FORMATS: readonly EvalFormat[] = ["json", "pretty", "raw", "values", "bindings"];

function bindingsObject(b: ReadonlyMap<string, Value>): RObject {
  return RObject.from([...b].map(([k, v]) => [k, v] as [Value, Value]));
}

/** The `opa eval` JSON document for results: `{"result": [...]}`, or `{}` when undefined. */
export function evalResultValue(results: readonly QueryResult[]): Value {
  if (results.length === 0) return RObject.empty;
  const rs = results.map((r) => {
    const entries: [Value, Value][] = [[
      "expressions",
      new RArray(r.expressions.map((e) => RObject.from([
        ["value", e.value],
        ["text", e.text],
        ["location", RObject.from([["row", numberValue(e.location.row)], ["col", numberValue(e.location.col)]])],
      ]))),
    ]];
    if (r.bindings.size > 0) entries.push(["bindings", bindingsObject(r.bindings)]);
    return RObject.from(entries);
  });
  return RObject.from([["result", new RArray(rs)]]);
}

/**
 * `opa eval --explain <mode> --format json`: the result document with the trace under
 * `explanation` (the events the mode keeps, as `--format pretty` prints them).
 */
export function formatExplainedJSON(results: readonly QueryResult[], trace: readonly TraceEvent[], mode: ExplainMode): string {
  const shown = explainEvents(trace, mode);
  const doc = evalResultValue(results) as RObject;
  const withTrace = doc.with("explanation", fromJS(traceJSON(shown)));
  return toJSONText(withTrace, 2) + "\n";
}

function numberValue(n: number): Value {
  return RNumber.fromInt(n);
}

/** The `opa eval` JSON document for an error: `{"errors": [{message, code, location}]}`. */
export function evalErrorValue(err: RegoError): Value {
  return RObject.from([["errors", new RArray(err.errors.map((d) => {
    const entries: [Value, Value][] = [["message", d.message], ["code", d.code]];
    if (d.location) entries.push(["location", RObject.from([["file", d.location.file], ["row", RNumber.fromInt(d.location.row)], ["col", RNumber.fromInt(d.location.col)]])]);
    return RObject.from(entries);
  }))]]);
}

/**
 * Formats query results as `opa eval --format <format>` prints them.
 *
 * @example
 * formatEvalResults(policy.eval("data.p.allow"), "json"); // '{\n  "result": [ ...'
 */
export function formatEvalResults(results: readonly QueryResult[], format: EvalFormat): string {
  switch (format) {
    case "json": return toJSONText(evalResultValue(results), 2) + "\n";
    case "raw": return formatRaw(results);
    case "pretty": return formatPretty(results);
    // `values`: every expression's value of every result, as one JSON array (`null` when undefined).
    case "values": return (results.length === 0 ? "null" : toJSONText(new RArray(results.flatMap((r) => r.expressions.map((e) => e.value))), 2)) + "\n";
    // `bindings`: each result's variable bindings, as one JSON array (`null` when undefined).
    case "bindings": return (results.length === 0 ? "null" : toJSONText(new RArray(results.map((r) => bindingsObject(r.bindings))), 2)) + "\n";
  }
}

/** Formats an error as `opa eval` does in each format. */
export function formatEvalError(err: RegoError, format: EvalFormat): string {
  // values and bindings print errors as pretty does.
  if (format === "json") return toJSONText(evalErrorValue(err), 2) + "\n";
  const n = err.errors.length;
  const lines = err.errors.map((d) => `${d.location ? formatLocation(d.location) + ": " : ""}${d.code}: ${d.message}`);
  return `${n} error${n === 1 ? "" : "s"} occurred:${n === 1 ? " " : "\n"}${lines.join("\n")}\n`;
}

function rawValue(v: Value): string {
  return typeof v === "string" ? v : toJSONText(v);
}

function formatRaw(results: readonly QueryResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.bindings.size > 0 && r.expressions.every((e) => e.value === true)) {
      lines.push(toJSONText(bindingsObject(r.bindings)));
      continue;
    }
    for (const e of r.expressions) lines.push(rawValue(e.value));
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

function prettyJSON(v: Value): string {
  return writeJSON(v, { indent: "  " });
}

function formatPretty(results: readonly QueryResult[]): string {
  if (results.length === 0) return "undefined\n";
  const first = results[0]!;
  if (results.length === 1 && first.bindings.size === 0 && first.expressions.length === 1) {
    return prettyJSON(first.expressions[0]!.value) + "\n";
  }
  // A table: one column per binding, then one per expression whose value is not `true`.
  const varNames = [...first.bindings.keys()];
  const exprCols = first.expressions.map((e, i) => ({ i, text: e.text })).filter(({ i }) => results.some((r) => r.expressions[i]?.value !== true) || varNames.length === 0);
  const header = [...varNames, ...exprCols.map((c) => c.text)];
  const rows = results.map((r) => [
    ...varNames.map((v) => cell(r.bindings.get(v))),
    ...exprCols.map((c) => cell(r.expressions[c.i]?.value)),
  ]);
  return table(header, rows);
}

function cell(v: Value | undefined): string {
  if (v === undefined) return "";
  return v instanceof RArray || v instanceof RObject || v instanceof RSet ? toJSONText(v) : rawCell(v);
}

function rawCell(v: Value): string {
  return toJSONText(v);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const sep = "+" + widths.map((w) => "-".repeat(w + 2)).join("+") + "+";
  const line = (cells: string[]): string => "|" + cells.map((c, i) => ` ${c.padEnd(widths[i]!)} `).join("|") + "|";
  return [sep, line(header), sep, ...rows.map(line), sep].join("\n") + "\n";
}
