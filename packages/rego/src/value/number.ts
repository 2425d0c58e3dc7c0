/**
 * Rego numbers: arbitrary precision, like OPA's `json.Number` plus `math/big` arithmetic.
 *
 * A number is held as an exact decimal `m × 10^e`. Integers always have `e === 0` (so `m` is the
 * integer itself and integer arithmetic is plain bigint arithmetic); non-integers have `e < 0` and
 * an `m` with no trailing zero, which makes the representation canonical (1 and 1.0 are the same
 * value, which equality and hashing rely on). A number parsed from source or JSON remembers its
 * literal text, because OPA prints such numbers verbatim (`2e308` stays `2e308`).
 */

const TEN = 10n;

/** Significant decimal digits kept for a division whose result does not terminate. */
const DIVISION_DIGITS = 19;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** An immutable arbitrary-precision Rego number. */
export class RNumber {
  /** Mantissa: the value is `m × 10^e`. */
  readonly m: bigint;
  /** Decimal exponent; 0 for integers, negative for non-integers. */
  readonly e: number;
  /** The literal text this number was parsed from, printed verbatim as OPA does. */
  readonly text: string | undefined;

  private constructor(m: bigint, e: number, text?: string) {
    this.m = m;
    this.e = e;
    this.text = text;
  }

  /** Builds the canonical number `m × 10^e`. */
  static of(m: bigint, e: number, text?: string): RNumber {
    if (m === 0n) return new RNumber(0n, 0, text);
    if (e >= 0) return new RNumber(e === 0 ? m : m * pow10(e), 0, text);
    while (e < 0 && m % TEN === 0n) {
      m /= TEN;
      e++;
    }
    return new RNumber(m, e, text);
  }

  /**
   * Parses a JSON or Rego number literal without losing precision.
   *
   * @example RNumber.fromString("18446744073709551617").toString() // "18446744073709551617"
   */
  static fromString(text: string): RNumber {
    const match = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!match) throw new RangeError(`invalid number literal ${JSON.stringify(text)}`);
    const [, sign, whole = "", frac = "", exp = "0"] = match;
    let m = BigInt(whole + frac);
    if (sign === "-") m = -m;
    const e = Number(exp) - frac.length;
    // Bounded so a literal like 1e99999999 cannot make every comparison build a giant bigint.
    if (!Number.isSafeInteger(e) || e > 100_000) throw new RangeError(`number literal ${text} is out of range`);
    return RNumber.of(m, e, text);
  }

  /** Parses a number leniently (as `to_number` does); undefined when not a number. */
  static tryParse(text: string): RNumber | undefined {
    try {
      return RNumber.fromString(text);
    } catch {
      return undefined;
    }
  }

  /** An integer number. */
  static fromInt(n: number | bigint): RNumber {
    if (typeof n === "number") {
      if (!Number.isInteger(n)) throw new RangeError(`${n} is not an integer`);
      if (n >= SMALL_MIN && n <= SMALL_MAX) return SMALL_INTS[n - SMALL_MIN]!;
      return new RNumber(BigInt(n), 0);
    }
    return new RNumber(n, 0);
  }

  /** @internal Builds the shared small-integer table. */
  static smallTable(min: number, max: number): RNumber[] {
    const out: RNumber[] = [];
    for (let i = min; i <= max; i++) out.push(new RNumber(BigInt(i), 0));
    return out;
  }

  /** A number from a JavaScript double (its shortest decimal form, as Go's 'g' -1 gives). */
  static fromFloat(n: number): RNumber {
    if (!Number.isFinite(n)) throw new RangeError(`${n} is not a finite number`);
    if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return new RNumber(BigInt(n), 0);
    const parsed = RNumber.fromString(String(n));
    return RNumber.of(parsed.m, parsed.e);
  }

  /** True when the value is a whole number (1.0 counts). */
  isInteger(): boolean {
    return this.e === 0;
  }

  /** The value as a bigint, or undefined when it is not a whole number. */
  toBigInt(): bigint | undefined {
    return this.e === 0 ? this.m : undefined;
  }

  /** The nearest JavaScript double. */
  toNumber(): number {
    if (this.e === 0) return Number(this.m);
    return Number(`${this.m}e${this.e}`);
  }

  /** The value as a safe JS integer, or undefined when not an integer or too large. */
  toSafeInt(): number | undefined {
    if (this.e !== 0) return undefined;
    const n = Number(this.m);
    return Number.isSafeInteger(n) ? n : undefined;
  }

  /** -1, 0 or 1. */
  sign(): number {
    return this.m < 0n ? -1 : this.m > 0n ? 1 : 0;
  }

  /** OPA's canonical printing: the literal text when there is one, else Go's big.Float form. */
  toString(): string {
    return this.text ?? this.canonicalString();
  }

  /**
   * The printing of a computed number: integers in full ('f'), others like Go's
   * `big.Float.Text('g', -1)`: plain decimals, or `d.ddde±XX` when the exponent is < -4 or >= 6.
   */
  canonicalString(): string {
    if (this.e === 0) return this.m.toString();
    const neg = this.m < 0n;
    const digits = absBig(this.m).toString();
    const dp = digits.length + this.e; // position of the decimal point relative to the digits
    const exp = dp - 1;
    let out: string;
    if (exp < -4 || exp >= 6) {
      const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      const ae = Math.abs(exp);
      out = `${mant}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
    } else if (dp <= 0) {
      out = `0.${"0".repeat(-dp)}${digits}`;
    } else {
      out = `${digits.slice(0, dp)}.${digits.slice(dp)}`;
    }
    return neg ? `-${out}` : out;
  }

  /** Exact sum. */
  add(o: RNumber): RNumber {
    if (this.e === 0 && o.e === 0) return new RNumber(this.m + o.m, 0);
    const e = Math.min(this.e, o.e);
    return RNumber.of(this.m * pow10(this.e - e) + o.m * pow10(o.e - e), e);
  }

  /** Exact difference. */
  sub(o: RNumber): RNumber {
    return this.add(o.neg());
  }

  /** Exact product. */
  mul(o: RNumber): RNumber {
    if (this.e === 0 && o.e === 0) return new RNumber(this.m * o.m, 0);
    return RNumber.of(this.m * o.m, this.e + o.e);
  }

  /** Negation. */
  neg(): RNumber {
    return new RNumber(-this.m, this.e);
  }

  /** Absolute value. */
  abs(): RNumber {
    return this.m < 0n ? this.neg() : this;
  }

  /**
   * Quotient: exact when the decimal expansion terminates within the precision, otherwise
   * rounded to {@link DIVISION_DIGITS} significant digits. Throws on division by zero.
   */
  div(o: RNumber): RNumber {
    if (o.m === 0n) throw new RangeError("divide by zero");
    if (this.m === 0n) return RNumber.fromInt(0);
    if (this.e === 0 && o.e === 0 && this.m % o.m === 0n) return new RNumber(this.m / o.m, 0);
    // value = (m1 / m2) × 10^(e1 - e2); scale m1 so the integer quotient has enough digits.
    const n = absBig(this.m);
    const d = absBig(o.m);
    const scale = Math.max(0, DIVISION_DIGITS + 2 + d.toString().length - n.toString().length);
    const scaled = n * pow10(scale);
    let q = scaled / d;
    const exact = scaled % d === 0n;
    let e = this.e - o.e - scale;
    if (!exact || q.toString().length > DIVISION_DIGITS) {
      const extra = q.toString().length - DIVISION_DIGITS;
      if (extra > 0) {
        const p = pow10(extra);
        const r = q % p;
        q = q / p;
        if (r * 2n >= p) q += 1n;
        e += extra;
      }
    }
    const neg = this.m < 0n !== o.m < 0n;
    return RNumber.of(neg ? -q : q, e);
  }

  /** Integer remainder with the sign of the dividend (Go's `%`); both must be integers. */
  rem(o: RNumber): RNumber {
    return new RNumber(this.m % o.m, 0);
  }

  /** Largest integer <= this. */
  floor(): RNumber {
    if (this.e === 0) return this;
    const p = pow10(-this.e);
    let q = this.m / p;
    if (this.m < 0n) q -= 1n;
    return new RNumber(q, 0);
  }

  /** Smallest integer >= this. */
  ceil(): RNumber {
    if (this.e === 0) return this;
    const p = pow10(-this.e);
    let q = this.m / p;
    if (this.m > 0n) q += 1n;
    return new RNumber(q, 0);
  }

  /** Rounds half away from zero (Go's `math.Round`). */
  round(): RNumber {
    if (this.e === 0) return this;
    const p = pow10(-this.e);
    const a = absBig(this.m);
    let q = a / p;
    if ((a % p) * 2n >= p) q += 1n;
    return new RNumber(this.m < 0n ? -q : q, 0);
  }

  /** Numeric comparison: -1, 0 or 1. */
  cmp(o: RNumber): number {
    if (this.e === o.e) return this.m < o.m ? -1 : this.m > o.m ? 1 : 0;
    const e = Math.min(this.e, o.e);
    const a = this.m * pow10(this.e - e);
    const b = o.m * pow10(o.e - e);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Numeric equality (1 equals 1.0). */
  eq(o: RNumber): boolean {
    return this.m === o.m && this.e === o.e;
  }
}

/** Counts, indexes and small results are shared rather than allocated on every call. */
const SMALL_MIN = -128;
const SMALL_MAX = 1024;
const SMALL_INTS = RNumber.smallTable(SMALL_MIN, SMALL_MAX);
