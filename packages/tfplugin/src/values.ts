/**
 * Plain value representation handed to resource code.
 *
 * Terraform values (cty) map onto JavaScript as: string -> `string`, bool -> `boolean`,
 * number -> `number` (or {@link ExactNumber} when a double cannot hold it exactly),
 * list/set/tuple -> array, map/object -> plain object, null -> `null`, and a value that is
 * not known until apply -> the {@link Unknown} marker (only ever seen while planning or
 * validating).
 */

/** Marker type for a value Terraform will only know after apply. Use {@link Unknown}. */
export class UnknownValue {
  /** Brand so structural typing never confuses it with a plain object. */
  readonly unknownValue = true as const;
  toString(): string {
    return "(known after apply)";
  }
  toJSON(): string {
    return "(known after apply)";
  }
}

/** The single unknown marker. Compare with `v === Unknown` or {@link isUnknown}. */
export const Unknown: UnknownValue = new UnknownValue();

/** True when `value` is the unknown marker. */
export function isUnknown(value: unknown): value is UnknownValue {
  return value instanceof UnknownValue;
}

/**
 * A number that a JavaScript double cannot represent exactly (e.g. `12345678901234567890`
 * or `0.1000000000000000000001`). Kept as its decimal text so it survives a round trip
 * through Terraform unchanged.
 */
export class ExactNumber {
  /** @param decimal canonical decimal text, e.g. `"-1.5e+30"` or `"12345678901234567890"` */
  constructor(readonly decimal: string) {}
  /** Nearest double (may lose precision). */
  toNumber(): number {
    return Number(this.decimal);
  }
  toString(): string {
    return this.decimal;
  }
  toJSON(): string {
    return this.decimal;
  }
}

/** Value of a cty `number`. */
export type NumberValue = number | ExactNumber;

/** Any plain Terraform value, possibly containing unknowns. */
export type TfValue = null | UnknownValue | string | number | ExactNumber | boolean | TfValue[] | { [key: string]: TfValue };

/** A plain Terraform object value. */
export type TfObject = { [key: string]: TfValue };

/**
 * Turns decimal text into a `number` when the double prints back identically, else an
 * {@link ExactNumber}: this is what keeps arbitrary precision intact.
 */
export function numberFromDecimal(text: string): NumberValue {
  const n = Number(text);
  if (Number.isFinite(n) && sameDecimal(String(n), text)) return n;
  return new ExactNumber(normalizeDecimal(text));
}

/** True if `value` contains the unknown marker anywhere. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object" && !(value instanceof ExactNumber)) {
    return Object.values(value).some(containsUnknown);
  }
  return false;
}

function sameDecimal(a: string, b: string): boolean {
  if (a === b) return true;
  return normalizeDecimal(a) === normalizeDecimal(b);
}

/** Canonical form: no '+' sign, no leading zeros, trailing fraction zeros stripped, exponent folded. */
function normalizeDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const sign = m[1] === "-" ? "-" : "";
  let digits = (m[2] ?? "") + (m[3] ?? "");
  let exp = Number(m[4] ?? "0") - (m[3] ?? "").length;
  digits = digits.replace(/^0+/, "");
  if (digits === "") return "0";
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    exp += 1;
  }
  if (exp >= 0) return sign + digits + "0".repeat(exp);
  const point = digits.length + exp;
  if (point > 0) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${sign}0.${"0".repeat(-point)}${digits}`;
}
