import { RArray, RNumber } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, int, int$, operandError, str } from "./args.js";
import { NAMED_LAYOUTS, formatLayout, parseLayout } from "./go-layout.js";
import type { BuiltinDef } from "./registry.js";
import { MAX_NS, MIN_NS, civilOf, resolveZone, toNs, utcSeconds } from "./time-zone.js";
import type { Civil } from "./time-zone.js";

/** Reads a nanosecond timestamp operand: a number or `[ns, tz]` / `[ns, tz, layout]`. */
function timeOperand(v: Value, pos: number): { ns: bigint; zone: string; layout: string | undefined } {
  let n: Value = v;
  let zone = "UTC";
  let layout: string | undefined;
  if (v instanceof RArray) {
    if (v.length < 1 || v.length > 3) throw fail(`operand ${pos} array should have 2 or 3 elements`);
    n = v.items[0]!;
    const z = v.items[1];
    if (z !== undefined) {
      if (typeof z !== "string") throw fail(`operand ${pos} must be a string timezone`);
      zone = resolveZone(z);
    }
    const l = v.items[2];
    if (l !== undefined) {
      if (typeof l !== "string") throw fail(`operand ${pos} must be a string layout`);
      layout = NAMED_LAYOUTS[l] ?? l;
    }
  }
  if (!(n instanceof RNumber)) throw operandError(pos, "number", n);
  const i = n.floor().toBigInt()!;
  if (i > MAX_NS || i < MIN_NS) throw fail("timestamp too big");
  return { ns: i, zone, layout };
}

function civil(v: Value, pos = 1): Civil {
  const t = timeOperand(v, pos);
  return civilOf(t.ns, t.zone);
}

function checkRange(ns: bigint): RNumber {
  if (ns > MAX_NS || ns < MIN_NS) throw fail("time outside of valid range");
  return int$(ns);
}

function parseNs(layout: string, value: string): RNumber {
  const p = parseLayout(NAMED_LAYOUTS[layout] ?? layout, value);
  const secs = p.offset === undefined ? utcSeconds(p.year, p.month, p.day, p.hour, p.minute, p.second)
    : utcSeconds(p.year, p.month, p.day, p.hour, p.minute, p.second) - p.offset;
  return checkRange(toNs(secs, p.nanos));
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): bigint {
  const orig = s;
  let neg = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw fail(`time: invalid duration ${JSON.stringify(orig)}`);
  let total = 0;
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== "") {
    const m = re.exec(s);
    if (!m || (m[1] === "" && (m[2] ?? "") === "")) {
      throw fail(m || /^[\d.]/.test(s) ? `time: missing unit in duration ${JSON.stringify(orig)}` : `time: invalid duration ${JSON.stringify(orig)}`);
    }
    const unit = DURATION_UNITS[m[3]!]!;
    total += Number(m[1] || "0") * unit + (m[2] ? Number(`0.${m[2]}`) * unit : 0);
    s = s.slice(m[0].length);
  }
  const r = BigInt(Math.round(total));
  return neg ? -r : r;
}

function addDate(args: Value[]): Value {
  const ns = int(args, 0);
  const [y, mo, d] = [int(args, 1), int(args, 2), int(args, 3)].map(Number) as [number, number, number];
  if (ns > MAX_NS || ns < MIN_NS) throw fail("time outside of valid range");
  const c = civilOf(ns, "UTC");
  const secs = utcSeconds(c.year + y, c.month + mo, c.day + d, c.hour, c.minute, c.second);
  return checkRange(toNs(secs, c.nanos));
}

function diff(args: Value[]): Value {
  let a = timeOperand(args[0] as Value, 1).ns;
  let b = timeOperand(args[1] as Value, 2).ns;
  if (a > b) [a, b] = [b, a];
  const t1 = civilOf(a, "UTC");
  const t2 = civilOf(b, "UTC");
  let year = t2.year - t1.year;
  let month = t2.month - t1.month;
  let day = t2.day - t1.day;
  let hour = t2.hour - t1.hour;
  let min = t2.minute - t1.minute;
  let sec = t2.second - t1.second;
  if (sec < 0) { sec += 60; min--; }
  if (min < 0) { min += 60; hour--; }
  if (hour < 0) { hour += 24; day--; }
  if (day < 0) {
    // Days in t1's month: day 32 of it overflows into the next month by (32 - days).
    const overflow = new Date(Date.UTC(t1.year, t1.month - 1, 32)).getUTCDate();
    day += 32 - overflow;
    month--;
  }
  if (month < 0) { month += 12; year--; }
  return new RArray([year, month, day, hour, min, sec].map((x) => int$(x)));
}

function format(args: Value[]): Value {
  const t = timeOperand(args[0] as Value, 1);
  return formatLayout(t.layout ?? NAMED_LAYOUTS.RFC3339Nano!, civilOf(t.ns, t.zone));
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** time.* builtins. `time.now_ns` is the query's fixed clock from the context. */
export const timeBuiltins: BuiltinDef[] = [
  {
    name: "time.now_ns",
    arity: 0,
    nondeterministic: true,
    fn: (_a, ctx) => {
      if (ctx.disabled.has("time.now_ns")) throw fail("time.now_ns is disabled here: use input.spacelift.request.timestamp_ns instead");
      return int$(ctx.nowNs);
    },
  },
  { name: "time.parse_ns", arity: 2, fn: (a) => parseNs(str(a, 0), str(a, 1)) },
  { name: "time.parse_rfc3339_ns", arity: 1, fn: (a) => parseNs(NAMED_LAYOUTS.RFC3339!, str(a, 0)) },
  { name: "time.parse_duration_ns", arity: 1, fn: (a) => int$(parseDuration(str(a, 0))) },
  { name: "time.format", arity: 1, fn: format },
  { name: "time.date", arity: 1, fn: (a) => { const c = civil(a[0] as Value); return new RArray([int$(c.year), int$(c.month), int$(c.day)]); } },
  { name: "time.clock", arity: 1, fn: (a) => { const c = civil(a[0] as Value); return new RArray([int$(c.hour), int$(c.minute), int$(c.second)]); } },
  { name: "time.weekday", arity: 1, fn: (a) => WEEKDAYS[civil(a[0] as Value).weekday]! },
  { name: "time.add_date", arity: 4, fn: addDate },
  { name: "time.diff", arity: 2, fn: diff },
];


