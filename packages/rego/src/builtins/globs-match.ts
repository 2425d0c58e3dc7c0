import type { Value } from "../value/index.js";
import { fail, str } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/**
 * regex.globs_match: whether two patterns in the small regex dialect OPA accepts here (literal
 * characters, `.`, `[...]` classes with ranges, `*`, `+`, `\` escapes) can match a common string.
 * Decided by searching the product of the two patterns' automata.
 */

type Range = [number, number];
interface Token {
  ranges: Range[] | "any";
  negated: boolean;
  repeat: boolean; // `*` (or the tail of `+`): zero or more
}

function invalid(input: string, pos: number, what: string): Error {
  return fail(`input:${input}, pos:${pos}, ${what}: the input provided is invalid`);
}

function tokenize(p: string): Token[] {
  const cps = [...p];
  const out: Token[] = [];
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === "*" || c === "+") {
      const prev = out[out.length - 1];
      if (!prev || prev.repeat) throw invalid(p, i + 1, `repetition '${c}' with no preceding token`);
      if (c === "*") prev.repeat = true;
      else out.push({ ...prev, repeat: true });
      continue;
    }
    if (c === "]") throw invalid(p, i + 1, "set-close ']' with no preceding '['");
    if (c === ".") {
      out.push({ ranges: "any", negated: false, repeat: false });
      continue;
    }
    if (c === "\\") {
      const n = cps[++i];
      if (n === undefined) throw invalid(p, i, "escape '\\' at end of input");
      out.push({ ranges: [[n.codePointAt(0)!, n.codePointAt(0)!]], negated: false, repeat: false });
      continue;
    }
    if (c === "[") {
      const ranges: Range[] = [];
      let j = i + 1;
      const negated = cps[j] === "^";
      if (negated) j++;
      for (; j < cps.length && cps[j] !== "]"; j++) {
        let a = cps[j]!;
        if (a === "\\") a = cps[++j] ?? "\\";
        if (cps[j + 1] === "-" && j + 2 < cps.length && cps[j + 2] !== "]") {
          ranges.push([a.codePointAt(0)!, cps[j + 2]!.codePointAt(0)!]);
          j += 2;
        } else ranges.push([a.codePointAt(0)!, a.codePointAt(0)!]);
      }
      if (j >= cps.length) throw invalid(p, i + 1, "set-open '[' with no closing ']'");
      out.push({ ranges, negated, repeat: false });
      i = j;
      continue;
    }
    out.push({ ranges: [[c.codePointAt(0)!, c.codePointAt(0)!]], negated: false, repeat: false });
  }
  return out;
}

function subtract(pos: Range[], neg: Range[]): boolean {
  // Does some code point of `pos` lie outside every range of `neg`?
  for (const [lo, hi] of pos) {
    let cur = lo;
    for (const [a, b] of [...neg].sort((x, y) => x[0] - y[0])) {
      if (b < cur || a > hi) continue;
      if (a > cur) return true;
      cur = Math.max(cur, b + 1);
      if (cur > hi) break;
    }
    if (cur <= hi) return true;
  }
  return false;
}

function overlap(x: Token, y: Token): boolean {
  if (x.ranges === "any" || y.ranges === "any") {
    const other = x.ranges === "any" ? y : x;
    return other.ranges === "any" || other.negated || other.ranges.length > 0;
  }
  if (x.negated && y.negated) return true;
  if (x.negated) return subtract(y.ranges, x.ranges);
  if (y.negated) return subtract(x.ranges, y.ranges);
  return x.ranges.some(([a, b]) => (y.ranges as Range[]).some(([c, d]) => a <= d && c <= b));
}

function intersects(a: Token[], b: Token[]): boolean {
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const w = b.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    if (seen.has(i * w + j)) continue;
    seen.add(i * w + j);
    if (i === a.length && j === b.length) return true;
    const ta = a[i];
    const tb = b[j];
    if (ta?.repeat) stack.push([i + 1, j]);
    if (tb?.repeat) stack.push([i, j + 1]);
    if (ta && tb && overlap(ta, tb)) stack.push([ta.repeat ? i : i + 1, tb.repeat ? j : j + 1]);
  }
  return false;
}

function globsMatch(args: Value[]): Value {
  return intersects(tokenize(str(args, 0)), tokenize(str(args, 1)));
}

/** regex.globs_match. */
export const globsMatchBuiltins: BuiltinDef[] = [{ name: "regex.globs_match", arity: 2, fn: globsMatch }];
