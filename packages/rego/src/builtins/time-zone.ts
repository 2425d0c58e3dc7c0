import { fail } from "./args.js";

/** A moment as Go's time.Time sees it in one location: civil fields plus the zone in effect. */
export interface Civil {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  weekday: number; // 0 = Sunday
  yday: number; // 1-366
  offset: number; // seconds east of UTC
  zoneName: string; // abbreviation, e.g. "UTC", "PST", "+0530"
}

const NS = 1_000_000_000n;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", second: "numeric", era: "short", timeZoneName: "short",
      });
    } catch {
      throw fail(`unknown time zone ${zone}`);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** Resolves OPA's zone names: "" and "UTC" are UTC, "Local" is the process zone. */
export function resolveZone(name: string): string {
  if (name === "" || name === "UTC") return "UTC";
  if (name === "Local") return Intl.DateTimeFormat().resolvedOptions().timeZone;
  return name;
}

function zoneInfo(zone: string, secs: number): { offset: number; abbrev: string } {
  if (zone === "UTC") return { offset: 0, abbrev: "UTC" };
  const parts = formatter(zone).formatToParts(new Date(secs * 1000));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? "0";
  let year = Number(get("year"));
  if (get("era") === "BC" || get("era") === "B") year = 1 - year;
  const asUTC = Date.UTC(year, Number(get("month")) - 1, Number(get("day")), Number(get("hour")), Number(get("minute")), Number(get("second")));
  const offset = Math.round(asUTC / 1000 - secs);
  let abbrev = get("timeZoneName");
  if (/^GMT[+-]/.test(abbrev) || abbrev === "GMT") {
    // Go names zones without an abbreviation by their offset (+0530).
    const sign = offset < 0 ? "-" : "+";
    const a = Math.abs(offset);
    abbrev = offset === 0 && abbrev === "GMT" ? "GMT" : `${sign}${String(Math.floor(a / 3600)).padStart(2, "0")}${String(Math.floor((a % 3600) / 60)).padStart(2, "0")}`;
  }
  return { offset, abbrev };
}

/** Splits nanoseconds since the epoch into whole seconds (floored) and the nanosecond rest. */
export function splitNs(ns: bigint): [number, number] {
  let s = ns / NS;
  let r = ns % NS;
  if (r < 0n) {
    s -= 1n;
    r += NS;
  }
  return [Number(s), Number(r)];
}

/** Civil time of instant `ns` in `zone` (an IANA name, already resolved). */
export function civilOf(ns: bigint, zone: string): Civil {
  const [secs, nanos] = splitNs(ns);
  const { offset, abbrev } = zoneInfo(zone, secs);
  const d = new Date((secs + offset) * 1000);
  const year = d.getUTCFullYear();
  const yday = Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return {
    year, month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(), nanos, weekday: d.getUTCDay(), yday, offset, zoneName: abbrev,
  };
}

/** Seconds since the epoch of civil fields read as UTC (out-of-range fields normalise, as in Go). */
export function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return Math.floor(d.getTime() / 1000);
}

/** The instant of civil fields in `zone` (Go's time.Date with a location). */
export function instantIn(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const guess = utcSeconds(year, month, day, hour, minute, second);
  if (zone === "UTC") return guess;
  const off1 = zoneInfo(zone, guess).offset;
  const off2 = zoneInfo(zone, guess - off1).offset;
  return guess - off2;
}

/** Nanoseconds from whole seconds and a nanosecond rest. */
export function toNs(secs: number, nanos: number): bigint {
  return BigInt(secs) * NS + BigInt(nanos);
}

/** Go's int64 nanosecond range, which OPA's time builtins are confined to. */
export const MIN_NS = -(2n ** 63n);
export const MAX_NS = 2n ** 63n - 1n;
