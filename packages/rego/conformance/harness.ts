import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RArray, RObject, RSet, compare, equals, fromJSONText, toJSONText, typeName } from "../src/value/index.js";
import type { Value } from "../src/value/index.js";
import { compile, parseTerm, RegoError } from "../src/index.js";
import { compileModules } from "../src/compiler/compiler.js";
import { Evaluator } from "../src/eval/evaluator.js";
import { Frame } from "../src/eval/context.js";
import { skipReason } from "./skip-list.js";

/**
 * Where OPA's conformance cases live (see that folder's README for the case format):
 * `GANTRY_CONFORMANCE_DIR`, else the first `shared/reference/opa-conformance` found walking up
 * from this checkout (the project's `shared/` folder sits beside the checkouts).
 */
export const CASES_DIR = process.env.GANTRY_CONFORMANCE_DIR ?? findUpwards("shared/reference/opa-conformance");

function findUpwards(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`conformance cases not found: no ${relative} above ${fileURLToPath(import.meta.url)}; set GANTRY_CONFORMANCE_DIR`);
    dir = parent;
  }
}

/** Recorded pass counts: the test suite fails if a run passes fewer cases than this. */
export const RECORD_FILE = new URL("./recorded.json", import.meta.url).pathname;

/** The case sets: OPA's v1 and v0 suites, and Gantry's type-error cases derived from OPA's checker. */
export const CASE_SETS = ["v1", "v0", "types"] as const;
export type CaseSet = (typeof CASE_SETS)[number];

/** The file holding a case set's cases. */
export function casesFile(set: CaseSet): string {
  return set === "types" ? new URL("./type-error-cases.json", import.meta.url).pathname : `${CASES_DIR}/cases-${set}.json`;
}

/** The committed list of case ids (`file#index`) that pass: none of them may start failing. */
export function passingFile(set: CaseSet): string {
  return new URL(`./passing-${set}.txt`, import.meta.url).pathname;
}

export interface Recorded { v1: VersionRecord; v0: VersionRecord; types?: VersionRecord }
export interface VersionRecord { pass: number; run: number; skipped: number; total: number }

export interface CaseOutcome { key: string; dir: string; status: "pass" | "fail" | "skip"; detail?: string }

function field(c: RObject, name: string): Value | undefined { return c.get(name); }
function str(c: RObject, name: string): string | undefined { const v = c.get(name); return typeof v === "string" ? v : undefined; }

/** JSON-shaped form of a value: sets become sorted arrays, non-string keys become strings. */
function normalize(v: Value): Value {
  if (v instanceof RArray) return new RArray(v.items.map(normalize));
  if (v instanceof RSet) return new RArray(v.values().map(normalize));
  if (v instanceof RObject) return RObject.from(v.entries().map(([k, x]) => [typeof k === "string" ? k : toJSONText(k), normalize(x)] as [Value, Value]));
  return v;
}

function sortArrays(v: Value): Value {
  if (v instanceof RArray) return new RArray([...v.items].sort(compare));
  return v;
}

function evalInputTerm(text: string): Value {
  const term = parseTerm(text, "input_term");
  const policy = compileModules([]);
  const ev = new Evaluator(policy, { input: undefined, data: RObject.empty, strict: false, nowNs: 0n, print: () => {}, disabled: new Set(), maxSteps: 1e6, deadline: Infinity });
  let out: Value | undefined;
  ev.evalTerm(term, new Frame(), (v) => { out = v; return true; });
  if (out === undefined) throw new Error("input_term is undefined");
  return out;
}

/** Runs one case; never throws. */
export function runCase(c: RObject): CaseOutcome {
  const dir = str(c, "dir") ?? "?";
  const key = `${str(c, "file")}#${String(field(c, "index"))}`;
  const modulesV = field(c, "modules");
  const modules = modulesV instanceof RArray ? modulesV.items.map(String) : [];
  const query = str(c, "query") ?? "";
  const skip = skipReason(modules.join("\n") + "\n" + query);
  if (skip) return { key, dir, status: "skip", detail: skip };
  const version = str(c, "version") === "v0" ? 0 : 1;
  const wantCode = str(c, "want_error_code");
  const wantError = str(c, "want_error");
  const fail = (detail: string): CaseOutcome => ({ key, dir, status: "fail", detail });
  try {
    const dataV = field(c, "data");
    const policy = compile({
      modules: modules.map((source, i) => ({ file: `test-${i}.rego`, source, regoVersion: version as 0 | 1 })),
      data: dataV instanceof RObject ? dataV : RObject.empty,
      maxTimeMs: 10_000,
    });
    const inputTerm = str(c, "input_term");
    const input = inputTerm !== undefined ? evalInputTerm(inputTerm) : field(c, "input");
    const results = policy.prepare(query).eval({
      input,
      strictBuiltinErrors: field(c, "strict_error") === true,
      nowNs: BigInt(Date.now()) * 1_000_000n,
    });
    if (wantCode || wantError) return fail(`expected error ${wantCode ?? ""} ${wantError ?? ""}, got ${results.length} results`);
    const want = field(c, "want_result");
    if (!(want instanceof RArray)) return { key, dir, status: "pass" };
    const sortB = field(c, "sort_bindings") === true;
    const ignoreGen = field(c, "ignore_generated_vars") === true;
    const got = results.map((r) => {
      const entries: [Value, Value][] = [];
      for (const [k, v] of r.bindings) {
        if (ignoreGen && k.startsWith("__")) continue;
        const n = normalize(v);
        entries.push([k, sortB ? sortArrays(n) : n]);
      }
      return RObject.from(entries) as Value;
    });
    const wants = want.items.map((w) => (sortB && w instanceof RObject ? RObject.from(w.entries().map(([k, v]) => [k, sortArrays(v)] as [Value, Value])) : w));
    got.sort(compare);
    wants.sort(compare);
    if (got.length !== wants.length || got.some((g, i) => !equals(g, wants[i]!))) {
      return fail(`want ${toJSONText(new RArray(wants))}\n got ${toJSONText(new RArray(got))}`);
    }
    return { key, dir, status: "pass" };
  } catch (e) {
    if (!(e instanceof RegoError)) return fail(`crash: ${e instanceof Error ? e.stack?.split("\n").slice(0, 4).join(" | ") : String(e)}`);
    if (!wantCode && !wantError) return fail(`unexpected error: ${e.message}`);
    if (wantCode && !e.errors.some((d) => d.code === wantCode)) return fail(`want code ${wantCode}, got ${e.message}`);
    if (wantError && !e.errors.some((d) => d.message.includes(wantError)) && !e.message.includes(wantError)) return fail(`want error "${wantError}", got ${e.message}`);
    return { key, dir, status: "pass" };
  }
}

/** Loads a cases file losslessly and runs every case. */
export function runCasesFile(file: string): CaseOutcome[] {
  const all = fromJSONText(readFileSync(file, "utf8"));
  if (!(all instanceof RArray)) throw new Error(`${file}: expected an array of cases, got ${typeName(all)}`);
  return all.items.map((c) => runCase(c as RObject));
}

export interface Summary { pass: number; fail: number; skip: number; total: number; byDir: Map<string, { pass: number; fail: number; skip: number }> }

export function summarize(outcomes: CaseOutcome[]): Summary {
  const byDir = new Map<string, { pass: number; fail: number; skip: number }>();
  const s: Summary = { pass: 0, fail: 0, skip: 0, total: outcomes.length, byDir };
  for (const o of outcomes) {
    s[o.status]++;
    const d = byDir.get(o.dir) ?? { pass: 0, fail: 0, skip: 0 };
    d[o.status]++;
    byDir.set(o.dir, d);
  }
  return s;
}
