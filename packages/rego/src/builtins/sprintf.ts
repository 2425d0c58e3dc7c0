import { RNumber, toRegoString } from "../value/index.js";
import type { Value } from "../value/index.js";
import { arr, str } from "./args.js";
import type { BuiltinDef } from "./registry.js";
import { goFormatFloat } from "./go-float.js";

/**
 * An argument as OPA hands it to Go's fmt.Sprintf: integers as int (or *big.Int beyond int64),
 * other finite numbers as float64, strings as strings, and everything else (booleans, null,
 * composites, unrepresentable numbers) as its Rego text, i.e. a string.
 */
type GoArg = { kind: "int"; v: bigint; big: boolean } | { kind: "float"; v: number } | { kind: "string"; v: string };

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function toGoArg(x: Value): GoArg {
  if (typeof x === "string") return { kind: "string", v: x };
  if (x instanceof RNumber) {
    // OPA passes the literal text through Go's parsers: `2e308` or `1.0` is not an integer there.
    const b = x.text !== undefined && /[.eE]/.test(x.text) ? undefined : x.toBigInt();
    if (b !== undefined) return { kind: "int", v: b, big: b > INT64_MAX || b < INT64_MIN };
    const f = x.toNumber();
    if (Number.isFinite(f)) return { kind: "float", v: f };
    return { kind: "string", v: x.toString() };
  }
  return { kind: "string", v: toRegoString(x) };
}

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width: number | undefined;
  prec: number | undefined;
}

/** Go's %v (shortest %g) for a float64, sign included. */
export function goFloatV(f: number): string {
  const neg = f < 0 || Object.is(f, -0);
  return (neg ? "-" : "") + goFormatFloat(Math.abs(f), "g", -1);
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  if (w === undefined || s.length >= w * 2) return s;
  const len = [...s].length;
  if (len >= w) return s;
  if (spec.minus) return s + " ".repeat(w - len);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : "";
    return sign + "0".repeat(w - len) + s.slice(sign.length);
  }
  return " ".repeat(w - len) + s;
}

function signed(s: string, neg: boolean, spec: Spec): string {
  if (neg) return "-" + s;
  if (spec.plus) return "+" + s;
  if (spec.space) return " " + s;
  return s;
}

function bad(verb: string, a: GoArg): string {
  const type = a.kind === "int" ? (a.big ? "*big.Int" : "int") : a.kind === "float" ? "float64" : "string";
  return `%!${verb}(${type}=${a.kind === "float" ? goFloatV(a.v) : String(a.v)})`;
}

function formatInt(verb: string, v: bigint, spec: Spec, a: GoArg): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let digits: string;
  switch (verb) {
    case "d":
    case "v":
      digits = abs.toString();
      break;
    case "s":
      if (a.kind === "int" && a.big) return pad(v.toString(), spec, false);
      return bad(verb, a);
    case "x":
      digits = (spec.sharp ? "0x" : "") + abs.toString(16);
      break;
    case "X":
      digits = (spec.sharp ? "0X" : "") + abs.toString(16).toUpperCase();
      break;
    case "o":
      digits = (spec.sharp ? "0" : "") + abs.toString(8);
      break;
    case "b":
      digits = abs.toString(2);
      break;
    case "c":
      return pad(String.fromCodePoint(Number(v)), spec, false);
    case "q":
      return pad(`'${String.fromCodePoint(Number(v))}'`, spec, false);
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G":
      return formatFloat(verb, Number(v), spec, a);
    default:
      return bad(verb, a);
  }
  if (spec.prec !== undefined) digits = digits.padStart(spec.prec, "0");
  return pad(signed(digits, neg, spec), spec, spec.prec === undefined);
}

function formatFloat(verb: string, f: number, spec: Spec, a: GoArg): string {
  const neg = f < 0 || Object.is(f, -0);
  const abs = Math.abs(f);
  let s: string;
  switch (verb) {
    case "v":
      s = goFormatFloat(abs, "g", spec.prec ?? -1);
      break;
    case "f": case "F": case "e": case "E":
      s = goFormatFloat(abs, verb, spec.prec ?? 6);
      break;
    case "g": case "G": case "x": case "X":
      s = goFormatFloat(abs, verb, spec.prec ?? -1);
      break;
    case "b":
      s = goFormatFloat(abs, "b", -1);
      break;
    default:
      return bad(verb, a);
  }
  return pad(signed(s, neg, spec), spec, true);
}

function hexOf(s: string, upper: boolean): string {
  const h = Buffer.from(s, "utf8").toString("hex");
  return upper ? h.toUpperCase() : h;
}

function formatString(verb: string, s: string, spec: Spec, a: GoArg): string {
  switch (verb) {
    case "s":
    case "v":
      return pad(spec.prec !== undefined ? [...s].slice(0, spec.prec).join("") : s, spec, false);
    case "q":
      return pad(JSON.stringify(s), spec, false);
    case "x":
      return pad(hexOf(s, false), spec, false);
    case "X":
      return pad(hexOf(s, true), spec, false);
    default:
      return bad(verb, a);
  }
}

function formatArg(verb: string, a: GoArg, spec: Spec): string {
  if (verb === "T") return a.kind === "int" ? (a.big ? "*big.Int" : "int") : a.kind === "float" ? "float64" : "string";
  if (a.kind === "int") return formatInt(verb, a.v, spec, a);
  if (a.kind === "float") return formatFloat(verb, a.v, spec, a);
  if (verb === "t" && (a.v === "true" || a.v === "false")) return pad(a.v, spec, false);
  return formatString(verb, a.v, spec, a);
}

const SPEC_RE = /%([-+# 0]*)(\d+|\*)?(?:\.(\d*|\*))?([a-zA-Z%])/gy;

/** A format string split once into literal text and verb specifications. */
type Segment = string | { flags: string; width: string | undefined; prec: string | undefined; verb: string } | null;

const compiledFormats = new Map<string, Segment[]>();

/** Splits a format string into segments (null marks a `%` with no verb, Go's NOVERB). */
function compileFormat(format: string): Segment[] {
  let segs = compiledFormats.get(format);
  if (segs) return segs;
  segs = [];
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      segs.push(format.slice(i));
      break;
    }
    if (pct > i) segs.push(format.slice(i, pct));
    SPEC_RE.lastIndex = pct;
    const m = SPEC_RE.exec(format);
    if (!m) {
      segs.push(null);
      break;
    }
    i = SPEC_RE.lastIndex;
    const [, flags = "", width, prec, verb = ""] = m;
    segs.push(verb === "%" ? "%" : { flags, width, prec, verb });
  }
  if (compiledFormats.size > 1000) compiledFormats.clear();
  compiledFormats.set(format, segs);
  return segs;
}

const PLAIN: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false, width: undefined, prec: undefined };

const plainVerbs = new WeakMap<Segment[], number>();

/**
 * The common case, `%s`/`%v` without flags over as many strings: the text, built without
 * converting the operands; undefined for anything else.
 */
function plainStringFormat(segs: Segment[], values: readonly Value[]): string | undefined {
  let verbs = plainVerbs.get(segs);
  if (verbs === undefined) {
    verbs = 0;
    for (const seg of segs) {
      if (typeof seg === "string") continue;
      if (seg === null || seg.flags !== "" || seg.width !== undefined || seg.prec !== undefined || (seg.verb !== "s" && seg.verb !== "v")) { verbs = -1; break; }
      verbs++;
    }
    plainVerbs.set(segs, verbs);
  }
  if (verbs !== values.length) return undefined;
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== "string") return undefined;
  // `join` builds one flat string; `+=` would build a rope, which every later comparison,
  // hash and sort of the result (a set of messages) pays to walk.
  const parts: string[] = new Array<string>(segs.length);
  let next = 0;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    parts[i] = typeof seg === "string" ? seg : (values[next++] as string);
  }
  return parts.join("");
}

/**
 * A format made only of literal text and plain `%s`/`%v` verbs, as a list of literal strings
 * and operand positions (`sprintf("%s: %s", [a, b])` -> `[0, ": ", 1]`); undefined for any
 * other format. Over string operands, joining the list gives what {@link goSprintf} gives.
 */
export function plainFormatParts(format: string): (string | number)[] | undefined {
  const parts: (string | number)[] = [];
  let next = 0;
  for (const seg of compileFormat(format)) {
    if (typeof seg === "string") parts.push(seg);
    else if (seg === null || seg.flags !== "" || seg.width !== undefined || seg.prec !== undefined || (seg.verb !== "s" && seg.verb !== "v")) return undefined;
    else parts.push(next++);
  }
  return parts;
}

/**
 * Go's fmt.Sprintf over OPA's argument conversion (see {@link GoArg}), including Go's in-band
 * error forms (`%!d(MISSING)`, `%!(EXTRA ...)`). Format strings are parsed once and cached.
 */
export function goSprintf(format: string, values: readonly Value[]): string {
  const segs = compileFormat(format);
  const quick = plainStringFormat(segs, values);
  if (quick !== undefined) return quick;
  const args = values.map(toGoArg);
  let next = 0;
  let out = "";
  for (const seg of segs) {
    if (typeof seg === "string") {
      out += seg;
      continue;
    }
    if (seg === null) {
      out += "%!(NOVERB)";
      break;
    }
    const takeInt = (t: string | undefined): number | undefined => {
      if (t === undefined) return undefined;
      if (t === "*") {
        const a = args[next++];
        return a?.kind === "int" ? Number(a.v) : undefined;
      }
      return t === "" ? 0 : Number(t);
    };
    const { flags, width, prec, verb } = seg;
    const spec: Spec = flags === "" && width === undefined && prec === undefined ? PLAIN : {
      minus: flags.includes("-"), plus: flags.includes("+"), space: flags.includes(" "),
      zero: flags.includes("0") && !flags.includes("-"), sharp: flags.includes("#"),
      width: takeInt(width), prec: takeInt(prec),
    };
    const a = args[next++];
    if (a === undefined) out += `%!${verb}(MISSING)`;
    else if (a.kind === "string" && (verb === "s" || verb === "v") && spec === PLAIN) out += a.v;
    else out += formatArg(verb, a, spec);
  }
  if (next < args.length) {
    const extra = args.slice(next).map((a) => `${a.kind === "int" ? (a.big ? "*big.Int" : "int") : a.kind === "float" ? "float64" : "string"}=${a.kind === "float" ? goFloatV(a.v) : String(a.v)}`);
    out += `%!(EXTRA ${extra.join(", ")})`;
  }
  return out;
}

/** sprintf(format, values). */
export const sprintfBuiltins: BuiltinDef[] = [
  { name: "sprintf", arity: 2, fn: (a) => goSprintf(str(a, 0), arr(a, 1).items) },
];
