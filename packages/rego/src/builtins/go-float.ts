/**
 * Go's strconv float formatting (`%e`, `%f`, `%g`, `%v`, `%x`, `%b` on a float64), which OPA's
 * sprintf uses. JavaScript's toFixed/toExponential round the exact binary value half *up* and
 * switch to exponents at 1e21; Go rounds the exact value half to *even* and its shortest `%g`/`%v`
 * switches to exponents from 1e+06 (and below 1e-04). Digits here are exact: a double is
 * m·2^e, whose decimal expansion BigInt computes without loss.
 */

/** Decimal digits d1d2...dn (no leading zeros) and point position: value = 0.d1d2...dn × 10^dp. */
interface Digits { d: string; dp: number }

const view = new DataView(new ArrayBuffer(8));

function bits(f: number): { mant: bigint; exp: number } {
  view.setFloat64(0, f);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // value = mant × 2^exp
  return biased === 0 ? { mant: frac, exp: -1074 } : { mant: frac | (1n << 52n), exp: biased - 1075 };
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDigits(f: number): Digits {
  if (f === 0) return { d: "", dp: 0 };
  const { mant, exp } = bits(f);
  let s: string;
  let fracDigits: number;
  if (exp >= 0) { s = (mant << BigInt(exp)).toString(); fracDigits = 0; }
  else { s = (mant * 5n ** BigInt(-exp)).toString(); fracDigits = -exp; }
  const dp = s.length - fracDigits;
  return trim({ d: s, dp });
}

function trim(x: Digits): Digits {
  let d = x.d;
  let lead = 0;
  while (lead < d.length && d[lead] === "0") lead++;
  d = d.slice(lead).replace(/0+$/, "");
  return { d, dp: d === "" ? 0 : x.dp - lead };
}

/** Shortest digits that read back as the same double (as Go's and JavaScript's shortest agree). */
function shortestDigits(f: number): Digits {
  if (f === 0) return { d: "", dp: 0 };
  const [mant, e] = f.toExponential().split("e") as [string, string];
  return trim({ d: mant.replace(".", ""), dp: Number(e) + 1 });
}

/** Rounds to `nd` significant digits, half to even on the exact digits (Go's decimal.Round). */
function roundTo(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: "", dp: 0 };
  if (nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next !== 5) up = next > 5;
  else if (nd + 1 < x.d.length) up = true; // more non-zero digits follow (digits are trimmed)
  else up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  if (!up) return trim({ d: x.d.slice(0, nd), dp: x.dp });
  // Add one at position nd-1, carrying.
  const ds = x.d.slice(0, nd).split("").map(Number);
  let i = nd - 1;
  while (i >= 0 && ds[i] === 9) { ds[i] = 0; i--; }
  if (i < 0) return { d: "1", dp: x.dp + 1 };
  ds[i]!++;
  return trim({ d: ds.join(""), dp: x.dp });
}

function digitAt(x: Digits, i: number): string { return i >= 0 && i < x.d.length ? x.d[i]! : "0"; }

/** Go's fmtF: integer part, then `prec` fraction digits. */
function fmtF(x: Digits, prec: number): string {
  let s = "";
  if (x.dp > 0) for (let i = 0; i < x.dp; i++) s += digitAt(x, i);
  else s = "0";
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(x, x.dp + i - 1);
  }
  return s;
}

/** Go's fmtE: one digit, `prec` fraction digits, then an exponent of at least two digits. */
function fmtE(x: Digits, prec: number, e: "e" | "E"): string {
  let s = x.d === "" ? "0" : x.d[0]!;
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) s += digitAt(x, i);
  }
  const exp = x.d === "" ? 0 : x.dp - 1;
  const a = Math.abs(exp);
  return `${s}${e}${exp < 0 ? "-" : "+"}${a < 10 ? "0" : ""}${a}`;
}

/**
 * Formats a finite, non-negative float64 as Go's strconv.FormatFloat(f, verb, prec, 64);
 * `prec` -1 means the shortest representation. The caller adds the sign.
 */
export function goFormatFloat(f: number, verb: "e" | "E" | "f" | "F" | "g" | "G" | "x" | "X" | "b", prec: number): string {
  if (verb === "x" || verb === "X") return fmtX(f, prec, verb);
  if (verb === "b") { const { mant, exp } = bits(f); return f === 0 ? "0p-1074" : `${mant}p${exp < 0 ? "-" : "+"}${Math.abs(exp)}`; }
  const shortest = prec < 0;
  let digs: Digits;
  if (shortest) {
    digs = shortestDigits(f);
    if (verb === "e" || verb === "E") prec = Math.max(digs.d.length - 1, 0);
    else if (verb === "f" || verb === "F") prec = Math.max(digs.d.length - digs.dp, 0);
    else prec = digs.d.length;
  } else {
    const exact = exactDigits(f);
    if (verb === "e" || verb === "E") digs = roundTo(exact, prec + 1);
    else if (verb === "f" || verb === "F") digs = roundTo(exact, exact.dp + prec);
    else { if (prec === 0) prec = 1; digs = roundTo(exact, prec); }
  }
  if (verb === "e" || verb === "E") return fmtE(digs, prec, verb);
  if (verb === "f" || verb === "F") return fmtF(digs, prec);
  // %g: %e when the exponent is < -4 or >= the precision (6 for the shortest form).
  let eprec = prec;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  if (shortest) eprec = 6;
  const exp = digs.d === "" ? 0 : digs.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > digs.d.length) prec = digs.d.length;
    return fmtE(digs, prec - 1, verb === "G" ? "E" : "e");
  }
  if (prec > digs.dp) prec = digs.d.length;
  return fmtF(digs, Math.max(prec - digs.dp, 0));
}

/** Go's %x on floats: `0x1.8p+00` (hexadecimal mantissa, binary exponent). */
function fmtX(f: number, prec: number, verb: "x" | "X"): string {
  let { mant, exp } = bits(f);
  if (mant === 0n) exp = 0;
  // Normalize so the leading 1 sits at bit 60, as Go does.
  mant <<= 8n;
  exp += 52;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) { mant <<= 1n; exp--; }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) { mant >>= 1n; exp++; }
  }
  const hex = "0123456789abcdef";
  let s = `0x${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    s += ".";
    while (mant !== 0n) { s += hex[Number((mant >> 60n) & 15n)]; mant = (mant << 4n) & ((1n << 64n) - 1n); }
  } else if (prec > 0) {
    s += ".";
    for (let i = 0; i < prec; i++) { s += hex[Number((mant >> 60n) & 15n)]; mant = (mant << 4n) & ((1n << 64n) - 1n); }
  }
  const a = Math.abs(exp);
  s += `p${exp < 0 ? "-" : "+"}${a < 10 ? "0" : ""}${a}`;
  return verb === "X" ? s.toUpperCase() : s;
}
