import { RArray } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, smallInt, str } from "./args.js";
import { compileRE2, quoteMeta } from "./regex-cache.js";
import type { BuiltinDef } from "./registry.js";

function limit(n: number): number {
  return n < 0 ? -1 : n;
}

function findN(args: Value[]): Value {
  const re = compileRE2(str(args, 0));
  const n = limit(smallInt(args, 2));
  if (n === 0) return new RArray([]);
  return new RArray(re.findAll(str(args, 1), n) ?? []);
}

function findAllSubmatch(args: Value[]): Value {
  const re = compileRE2(str(args, 0));
  const n = limit(smallInt(args, 2));
  if (n === 0) return new RArray([]);
  const all = (re.findAllSubmatch(str(args, 1), n) ?? []) as (string | null)[][];
  return new RArray(all.map((m) => new RArray(m.map((g) => g ?? ""))));
}

/** Go's Regexp.Expand template: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, src: string, idx: number[], names: Record<string, number>): string {
  const group = (name: string): string => {
    const i = /^\d+$/.test(name) ? Number(name) : names[name];
    if (i === undefined || 2 * i + 1 >= idx.length) return "";
    const a = idx[2 * i]!;
    const b = idx[2 * i + 1]!;
    return a < 0 ? "" : src.slice(a, b);
  };
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (whole, d: string, braced?: string, bare?: string) => {
    if (d === "$") return "$";
    const name = braced ?? bare;
    return name === undefined ? whole : group(name);
  });
}

function replace(args: Value[]): Value {
  const s = str(args, 0);
  const re = compileRE2(str(args, 1));
  const repl = str(args, 2);
  const matches = (re.findAllSubmatchIndex(s, -1) ?? []) as number[][];
  const names = groupNames(str(args, 1));
  let out = "";
  let last = 0;
  for (const idx of matches) {
    out += s.slice(last, idx[0]) + expand(repl, s, idx, names);
    last = idx[1]!;
  }
  return out + s.slice(last);
}

function groupNames(pattern: string): Record<string, number> {
  const names: Record<string, number> = {};
  let group = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "(" && pattern[i + 1] !== "?") group++;
    else if (c === "(") {
      const m = /^\(\?P?<(\w+)>/.exec(pattern.slice(i));
      if (m) names[m[1]!] = ++group;
    }
  }
  return names;
}

/** Go's Regexp.Split(s, -1). */
function split(args: Value[]): Value {
  const re = compileRE2(str(args, 0));
  const s = str(args, 1);
  if (s === "") return new RArray([""]);
  const matches = (re.findAllIndex(s, -1) ?? []) as number[][];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const [a, b] of matches) {
    end = a!;
    if (b !== 0) out.push(s.slice(beg, end));
    beg = b!;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return new RArray(out);
}

/** Builds a regex from a template whose delimited parts are regexes and the rest literal text. */
function templateMatch(args: Value[]): Value {
  const template = str(args, 0);
  const value = str(args, 1);
  const open = str(args, 2);
  const close = str(args, 3);
  let pattern = "^";
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf(open, i);
    if (start < 0) {
      pattern += quoteMeta(template.slice(i));
      break;
    }
    pattern += quoteMeta(template.slice(i, start));
    let depth = 0;
    let j = start;
    for (; j < template.length; j++) {
      if (template.startsWith(open, j)) depth++;
      else if (template.startsWith(close, j) && --depth === 0) break;
    }
    if (j >= template.length) throw fail(`unbalanced braces in ${JSON.stringify(template)}`);
    pattern += `(${template.slice(start + open.length, j)})`;
    i = j + close.length;
  }
  return compileRE2(pattern + "$").match(value);
}

function isValid(args: Value[]): Value {
  const p = args[0];
  if (typeof p !== "string") return false;
  try {
    compileRE2(p);
    return true;
  } catch {
    return false;
  }
}

/** regex.* builtins (RE2 syntax) and the deprecated re_match. */
export const regexBuiltins: BuiltinDef[] = [
  { name: "regex.match", arity: 2, fn: (a) => compileRE2(str(a, 0)).match(str(a, 1)) },
  { name: "re_match", arity: 2, fn: (a) => compileRE2(str(a, 0)).match(str(a, 1)), deprecated: true },
  { name: "regex.is_valid", arity: 1, fn: isValid },
  { name: "regex.find_n", arity: 3, fn: findN },
  { name: "regex.find_all_string_submatch_n", arity: 3, fn: findAllSubmatch },
  { name: "regex.replace", arity: 3, fn: replace },
  { name: "regex.split", arity: 2, fn: split },
  { name: "regex.template_match", arity: 4, fn: templateMatch },
];
