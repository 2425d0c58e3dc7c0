import { fail } from "./args.js";
import type { Civil } from "./time-zone.js";

/** Go's named layouts, accepted by time.format and time.parse_ns by name. */
export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
  Kitchen: "3:04PM",
  Stamp: "Jan _2 15:04:05",
  StampMilli: "Jan _2 15:04:05.000",
  StampMicro: "Jan _2 15:04:05.000000",
  StampNano: "Jan _2 15:04:05.000000000",
  DateTime: "2006-01-02 15:04:05",
  DateOnly: "2006-01-02",
  TimeOnly: "15:04:05",
};

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

type Chunk = { lit: string } | { std: string; digits?: number };

const PREFIXES: [string, string][] = [
  ["January", "January"], ["Jan", "Jan"], ["Monday", "Monday"], ["Mon", "Mon"], ["MST", "MST"],
  ["01", "01"], ["02", "02"], ["03", "03"], ["04", "04"], ["05", "05"], ["06", "06"], ["002", "002"],
  ["15", "15"], ["1", "1"], ["2006", "2006"], ["2", "2"], ["__2", "__2"], ["_2", "_2"], ["3", "3"], ["4", "4"], ["5", "5"],
  ["PM", "PM"], ["pm", "pm"],
  ["-070000", "-070000"], ["-07:00:00", "-07:00:00"], ["-0700", "-0700"], ["-07:00", "-07:00"], ["-07", "-07"],
  ["Z070000", "Z070000"], ["Z07:00:00", "Z07:00:00"], ["Z0700", "Z0700"], ["Z07:00", "Z07:00"], ["Z07", "Z07"],
];

/** Splits a Go layout into literal text and standard elements, as Go's nextStdChunk does. */
export function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = "";
  let i = 0;
  outer: while (i < layout.length) {
    const c = layout[i]!;
    if ((c === "." || c === ",") && (layout[i + 1] === "0" || layout[i + 1] === "9")) {
      const d = layout[i + 1]!;
      let j = i + 1;
      while (layout[j] === d) j++;
      if (!/\d/.test(layout[j] ?? "")) {
        if (lit) out.push({ lit });
        lit = "";
        out.push({ std: d === "0" ? "frac0" : "frac9", digits: j - i - 1 });
        i = j;
        continue;
      }
    }
    for (const [p, std] of PREFIXES) {
      if (!layout.startsWith(p, i)) continue;
      // "Jan"/"Mon" inside words like "January" are handled by ordering; "2006" must not be
      // split, and Go only treats "_2" before "006" specially, which this ordering preserves.
      if (lit) out.push({ lit });
      lit = "";
      out.push({ std });
      i += p.length;
      continue outer;
    }
    lit += c;
    i++;
  }
  if (lit) out.push({ lit });
  return out;
}

const pad = (n: number, w: number): string => String(n).padStart(w, "0");

function zoneText(std: string, offset: number): string {
  if (std.startsWith("Z") && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  const kind = std.replace(/^[Z-]/, "");
  switch (kind) {
    case "070000":
      return sign + hh + mm + ss;
    case "07:00:00":
      return `${sign}${hh}:${mm}:${ss}`;
    case "0700":
      return sign + hh + mm;
    case "07:00":
      return `${sign}${hh}:${mm}`;
    default:
      return sign + hh;
  }
}

/** Formats civil time with a Go layout. */
export function formatLayout(layout: string, t: Civil): string {
  let out = "";
  for (const ch of chunks(layout)) {
    if ("lit" in ch) {
      out += ch.lit;
      continue;
    }
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (ch.std) {
      case "January": out += MONTHS[t.month - 1]; break;
      case "Jan": out += MONTHS[t.month - 1]!.slice(0, 3); break;
      case "Monday": out += DAYS[t.weekday]; break;
      case "Mon": out += DAYS[t.weekday]!.slice(0, 3); break;
      case "MST": out += t.zoneName; break;
      case "01": out += pad(t.month, 2); break;
      case "1": out += t.month; break;
      case "02": out += pad(t.day, 2); break;
      case "2": out += t.day; break;
      case "_2": out += String(t.day).padStart(2, " "); break;
      case "002": out += pad(t.yday, 3); break;
      case "__2": out += String(t.yday).padStart(3, " "); break;
      case "03": out += pad(h12, 2); break;
      case "3": out += h12; break;
      case "15": out += pad(t.hour, 2); break;
      case "04": out += pad(t.minute, 2); break;
      case "4": out += t.minute; break;
      case "05": out += pad(t.second, 2); break;
      case "5": out += t.second; break;
      case "06": out += pad(((t.year % 100) + 100) % 100, 2); break;
      case "2006": out += t.year < 0 ? `-${pad(-t.year, 4)}` : pad(t.year, 4); break;
      case "PM": out += t.hour >= 12 ? "PM" : "AM"; break;
      case "pm": out += t.hour >= 12 ? "pm" : "am"; break;
      case "frac0": out += "." + pad(t.nanos, 9).slice(0, ch.digits); break;
      case "frac9": {
        const f = pad(t.nanos, 9).slice(0, ch.digits).replace(/0+$/, "");
        if (f) out += "." + f;
        break;
      }
      default: out += zoneText(ch.std, t.offset);
    }
  }
  return out;
}

/** Fields read by {@link parseLayout}; unset ones default as in Go (year 0 → 1 Jan of year 0... ). */
export interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  offset: number | undefined;
  zoneAbbrev: string | undefined;
}

function badParse(value: string, layout: string, elem: string, rest: string): Error {
  return fail(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`);
}

/** Parses `value` with a Go layout (Go's time.Parse), returning the fields read. */
export function parseLayout(layout: string, value: string): Parsed {
  const p: Parsed = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0, offset: undefined, zoneAbbrev: undefined };
  let s = value;
  let pm: boolean | undefined;
  const cs = chunks(layout);
  const num = (elem: string, min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(s);
    if (!m) throw badParse(value, layout, elem, s);
    s = s.slice(m[0].length);
    return Number(m[0]);
  };
  const word = (elem: string, names: string[], len?: number): number => {
    const i = names.findIndex((n) => s.toLowerCase().startsWith((len ? n.slice(0, len) : n).toLowerCase()));
    if (i < 0) throw badParse(value, layout, elem, s);
    s = s.slice(len ?? names[i]!.length);
    return i;
  };
  for (let k = 0; k < cs.length; k++) {
    const ch = cs[k]!;
    if ("lit" in ch) {
      if (!s.startsWith(ch.lit)) throw badParse(value, layout, ch.lit, s);
      s = s.slice(ch.lit.length);
      continue;
    }
    switch (ch.std) {
      case "January": p.month = word(ch.std, MONTHS) + 1; break;
      case "Jan": p.month = word(ch.std, MONTHS, 3) + 1; break;
      case "Monday": word(ch.std, DAYS); break;
      case "Mon": word(ch.std, DAYS, 3); break;
      case "MST": {
        const m = /^(UTC|[A-Z]{3,5}|[+-]\d{2,4})/.exec(s);
        if (!m) throw badParse(value, layout, ch.std, s);
        p.zoneAbbrev = m[0];
        if (m[0] === "UTC" || m[0] === "GMT") p.offset = 0;
        s = s.slice(m[0].length);
        break;
      }
      case "01": p.month = num(ch.std, 2, 2); break;
      case "1": p.month = num(ch.std, 1, 2); break;
      case "02": p.day = num(ch.std, 2, 2); break;
      case "2": p.day = num(ch.std, 1, 2); break;
      case "_2": if (s.startsWith(" ")) s = s.slice(1); p.day = num(ch.std, 1, 2); break;
      case "002": case "__2": num(ch.std, 1, 3); break;
      case "03": p.hour = num(ch.std, 2, 2); break;
      case "3": p.hour = num(ch.std, 1, 2); break;
      case "15": p.hour = num(ch.std, 1, 2); break;
      case "04": p.minute = num(ch.std, 2, 2); break;
      case "4": p.minute = num(ch.std, 1, 2); break;
      case "05": case "5": {
        p.second = num(ch.std, ch.std === "05" ? 2 : 1, 2);
        // Go accepts a fractional second after the seconds even when the layout has none.
        const next = cs[k + 1];
        const m = /^[.,](\d+)/.exec(s);
        if (m && !(next && "std" in next && next.std.startsWith("frac"))) {
          p.nanos = Number(m[1]!.slice(0, 9).padEnd(9, "0"));
          s = s.slice(m[0].length);
        }
        break;
      }
      case "06": { const y = num(ch.std, 2, 2); p.year = y >= 69 ? 1900 + y : 2000 + y; break; }
      case "2006": {
        const m = /^[+-]?\d{4}/.exec(s);
        if (!m) throw badParse(value, layout, ch.std, s);
        p.year = Number(m[0]);
        s = s.slice(m[0].length);
        break;
      }
      case "PM": case "pm": {
        const m = /^(AM|PM)/i.exec(s);
        if (!m) throw badParse(value, layout, ch.std, s);
        pm = m[0].toUpperCase() === "PM";
        s = s.slice(2);
        break;
      }
      case "frac0": case "frac9": {
        const m = /^[.,](\d+)/.exec(s);
        if (!m) {
          if (ch.std === "frac9") break;
          throw badParse(value, layout, ch.std, s);
        }
        p.nanos = Number(m[1]!.slice(0, 9).padEnd(9, "0"));
        s = s.slice(m[0].length);
        break;
      }
      default: {
        if (ch.std.startsWith("Z") && s.startsWith("Z")) {
          p.offset = 0;
          s = s.slice(1);
          break;
        }
        const m = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(s);
        if (!m) throw badParse(value, layout, ch.std, s);
        const off = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
        p.offset = m[1] === "-" ? -off : off;
        s = s.slice(m[0].length);
      }
    }
  }
  if (s !== "") throw fail(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(s)}`);
  if (pm !== undefined) {
    if (pm && p.hour < 12) p.hour += 12;
    else if (!pm && p.hour === 12) p.hour = 0;
  }
  if (p.month < 1 || p.month > 12) throw fail(`parsing time ${JSON.stringify(value)}: month out of range`);
  if (p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 59) {
    throw fail(`parsing time ${JSON.stringify(value)}: day out of range`);
  }
  return p;
}
