import { decode, encode, ExtData, ExtensionCodec } from "@msgpack/msgpack";
import { TfPluginError } from "../errors.js";
import type { CtyType } from "../types.js";
import { ExactNumber, Unknown, isUnknown, numberFromDecimal } from "../values.js";
import type { TfValue } from "../values.js";
import { describeType, inferType, parseType, withType } from "./type.js";

/** cty's extension type for a wholly unknown value (`d4 00 00`). */
const UNKNOWN_EXT = 0;
/** cty's extension type for an unknown value with refinements (e.g. "not null", string prefix). */
const REFINED_UNKNOWN_EXT = 0x0c;

const extensionCodec = new ExtensionCodec();
// Decode both unknown forms to the plain marker: refinements only narrow what the value may
// become, and a provider that ignores them stays correct.
extensionCodec.register({ type: UNKNOWN_EXT, encode: () => null, decode: () => Unknown });
extensionCodec.register({ type: REFINED_UNKNOWN_EXT, encode: () => null, decode: () => Unknown });

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Encodes a value of cty type `type` as cty msgpack (what DynamicValue.msgpack carries). */
export function encodeMsgpack(value: unknown, type: CtyType): Uint8Array {
  return encode(toWire(value, type, []), { useBigInt64: true, extensionCodec });
}

/** Decodes cty msgpack of type `type` into a plain value. */
export function decodeMsgpack(bytes: Uint8Array, type: CtyType): TfValue {
  if (bytes.length === 0) return null;
  const raw: unknown = decode(bytes, { useBigInt64: true, extensionCodec });
  return fromWire(raw, type, []);
}

function fail(path: readonly (string | number)[], message: string): never {
  const at = path.length ? ` at ${path.join(".")}` : "";
  throw new TfPluginError("codec", `${message}${at}`);
}

function toWire(value: unknown, type: CtyType, path: (string | number)[]): unknown {
  if (value === null || value === undefined) return null;
  if (isUnknown(value)) return new ExtData(UNKNOWN_EXT, new Uint8Array([0]));
  if (type === "dynamic") {
    const actual = inferType(value);
    return [new TextEncoder().encode(JSON.stringify(actual)), toWire(value, actual, path)];
  }
  if (type === "string") {
    if (typeof value !== "string") fail(path, `expected a string, got ${typeof value}`);
    return value;
  }
  if (type === "bool") {
    if (typeof value !== "boolean") fail(path, `expected a bool, got ${typeof value}`);
    return value;
  }
  if (type === "number") return numberToWire(value, path);
  const [kind] = type;
  if (kind === "list" || kind === "set" || kind === "tuple") {
    if (!Array.isArray(value)) fail(path, `expected an array for ${describeType(type)}`);
    return value.map((v: unknown, i) => toWire(v, kind === "tuple" ? (type[1][i] ?? fail(path, "tuple too long")) : type[1], [...path, i]));
  }
  if (typeof value !== "object") fail(path, `expected an object for ${describeType(type)}`);
  const record = value as Record<string, unknown>;
  // A null-prototype object: the encoder writes its own keys as a msgpack map, and a key
  // such as "__proto__" stays an ordinary key.
  const out = Object.create(null) as Record<string, unknown>;
  if (kind === "map") {
    for (const [k, v] of Object.entries(record)) out[k] = toWire(v, type[1], [...path, k]);
  } else {
    // Objects must carry exactly the type's attributes: absent ones are sent as null.
    for (const [k, t] of Object.entries(type[1])) out[k] = toWire(record[k], t, [...path, k]);
  }
  return out;
}

function numberToWire(value: unknown, path: (string | number)[]): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(path, `number ${value} is not finite`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return BigInt(value);
    return value;
  }
  if (typeof value === "bigint") return value;
  // cty accepts a number as its decimal string: the only lossless form for big or precise values.
  if (value instanceof ExactNumber) return value.decimal;
  return fail(path, `expected a number, got ${typeof value}`);
}

function fromWire(raw: unknown, type: CtyType, path: (string | number)[]): TfValue {
  if (raw === null || raw === undefined) return null;
  if (isUnknown(raw)) return Unknown;
  if (type === "dynamic") {
    if (!Array.isArray(raw) || raw.length !== 2) fail(path, "expected a [type, value] pair for a dynamic value");
    const typeBytes = raw[0] as unknown;
    const typeText = typeBytes instanceof Uint8Array ? new TextDecoder().decode(typeBytes) : String(typeBytes);
    const actual = parseType(JSON.parse(typeText));
    const decoded = fromWire(raw[1], actual, path);
    if (decoded !== null && typeof decoded === "object" && !(decoded instanceof ExactNumber) && !isUnknown(decoded)) withType(decoded, actual);
    return decoded;
  }
  if (type === "string") {
    if (typeof raw !== "string") fail(path, "expected a string");
    return raw;
  }
  if (type === "bool") {
    if (typeof raw !== "boolean") fail(path, "expected a bool");
    return raw;
  }
  if (type === "number") {
    if (typeof raw === "number") return raw;
    if (typeof raw === "bigint") return raw <= MAX_SAFE && raw >= -MAX_SAFE ? Number(raw) : new ExactNumber(raw.toString());
    if (typeof raw === "string") return numberFromDecimal(raw);
    return fail(path, "expected a number");
  }
  const [kind] = type;
  if (kind === "list" || kind === "set" || kind === "tuple") {
    if (!Array.isArray(raw)) fail(path, `expected an array for ${describeType(type)}`);
    return raw.map((v: unknown, i) => fromWire(v, kind === "tuple" ? (type[1][i] ?? fail(path, "tuple too long")) : type[1], [...path, i]));
  }
  const entries = rawEntries(raw, path);
  const out: { [k: string]: TfValue } = {};
  if (kind === "map") {
    for (const [k, v] of entries) out[k] = fromWire(v, type[1], [...path, k]);
  } else {
    const given = new Map(entries);
    for (const [k, t] of Object.entries(type[1])) out[k] = fromWire(given.get(k), t, [...path, k]);
  }
  return out;
}

function rawEntries(raw: unknown, path: (string | number)[]): [string, unknown][] {
  if (raw instanceof Map) return [...raw.entries()].map(([k, v]) => [String(k), v]);
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) return Object.entries(raw);
  return fail(path, "expected a map");
}
