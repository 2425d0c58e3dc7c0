import type { JsonWebKey } from "node:crypto";
import { RArray, RNumber, RObject, fromJSONText, toJS, writeJSON } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, obj, str } from "./args.js";
import { bytesToString, decodeBase64, utf8 } from "./bytes.js";
import { parseJSONGo } from "./encoding.js";
import { JWS_ALGS, signWithJWK, verificationKeys, verifySignature } from "./jwt-keys.js";
import type { BuiltinContext, BuiltinDef } from "./registry.js";

interface Decoded {
  header: RObject;
  payload: Value;
  sig: Buffer;
  signingInput: Buffer;
  alg: string | undefined;
}

function parseJSONObject(text: string, what: string): RObject {
  let v: Value;
  try {
    v = fromJSONText(text);
  } catch {
    throw fail(`${what} is not valid JSON`);
  }
  if (!(v instanceof RObject)) throw fail(`${what} must be a JSON object`);
  return v;
}

function part(s: string, what: string): Buffer {
  try {
    return decodeBase64(s, true, false);
  } catch (e) {
    throw fail(`JWT ${what} had invalid encoding: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Splits and decodes a compact JWS; nested tokens (`cty: JWT`) are unwrapped to the innermost. */
function decodeToken(token: string): Decoded {
  const parts = token.split(".");
  if (parts.length === 5) throw fail("JWT is a JWE object, which is not supported");
  if (parts.length === 1) throw fail("encoded JWT had no period separators");
  if (parts.length !== 3) throw fail(`encoded JWT must have 3 sections, found ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  const header = parseJSONObject(bytesToString(part(h, "header")), "JWT header");
  if (header.has("enc")) throw fail("JWT is a JWE object, which is not supported");
  const payloadText = bytesToString(part(p, "payload"));
  const sig = part(s, "signature");
  const cty = header.get("cty");
  if (typeof cty === "string" && cty.toUpperCase() === "JWT") {
    // The nested token may be the payload itself or a JSON string holding it.
    let innerText = payloadText;
    try {
      const v = fromJSONText(payloadText);
      if (typeof v === "string") innerText = v;
    } catch {
      // not JSON: the payload is the token
    }
    const inner = decodeToken(innerText);
    return { ...inner, header: inner.header };
  }
  let payload: Value;
  try {
    payload = fromJSONText(payloadText);
  } catch {
    throw fail("JWT payload is not valid JSON");
  }
  const alg = header.get("alg");
  return { header, payload, sig, signingInput: utf8(`${h}.${p}`), alg: typeof alg === "string" ? alg : undefined };
}

/** The outermost token's signing input and signature (what the given key signed). */
function outer(token: string): { signingInput: Buffer; sig: Buffer; header: RObject } {
  const parts = token.split(".");
  if (parts.length !== 3) decodeToken(token);
  const [h, p, s] = parts as [string, string, string];
  return { signingInput: utf8(`${h}.${p}`), sig: part(s, "signature"), header: parseJSONObject(bytesToString(part(h, "header")), "JWT header") };
}

function verifyWith(algName: string, token: string, key: string): boolean {
  const alg = JWS_ALGS[algName]!;
  decodeToken(token);
  const { signingInput, sig } = outer(token);
  if (alg.kind === "hmac") return verifySignature(alg, signingInput, sig, utf8(key));
  return verificationKeys(key).some((k) => verifySignature(alg, signingInput, sig, k));
}

function verifier(algName: string): BuiltinDef {
  return { name: `io.jwt.verify_${algName.toLowerCase()}`, arity: 2, fn: (a) => verifyWith(algName, str(a, 0), str(a, 1)) };
}

function decode(args: Value[]): Value {
  const d = decodeToken(str(args, 0));
  return new RArray([d.header, d.payload, d.sig.toString("hex")]);
}

const INVALID = (): Value => new RArray([false, RObject.empty, RObject.empty]);

function numericClaim(payload: RObject, name: string): number | undefined {
  const v = payload.get(name);
  if (v === undefined) return undefined;
  if (!(v instanceof RNumber)) throw fail(`${name} value must be a number`);
  return v.toNumber();
}

const CONSTRAINT_KEYS = new Set(["cert", "secret", "alg", "iss", "aud", "time"]);

/** io.jwt.decode_verify: `[valid, header, payload]`, `[false, {}, {}]` when any check fails. */
function decodeVerify(args: Value[], ctx: BuiltinContext): Value {
  const token = str(args, 0);
  const c = obj(args, 1);
  for (const k of c.keys()) if (typeof k !== "string" || !CONSTRAINT_KEYS.has(k)) throw fail(`unknown token validation constraint: ${String(k)}`);
  const d = decodeToken(token);
  const { signingInput, sig, header: outerHeader } = outer(token);
  const algName = outerHeader.get("alg");
  if (typeof algName !== "string" || !JWS_ALGS[algName]) return INVALID();
  const crit = outerHeader.get("crit");
  if (crit !== undefined) return INVALID();
  const wantAlg = c.get("alg");
  if (wantAlg !== undefined && wantAlg !== algName) return INVALID();
  const alg = JWS_ALGS[algName]!;
  const cert = c.get("cert");
  const secret = c.get("secret");
  let ok: boolean;
  if (alg.kind === "hmac") {
    if (typeof secret !== "string") return INVALID();
    ok = verifySignature(alg, signingInput, sig, utf8(secret));
  } else {
    if (typeof cert !== "string") return INVALID();
    ok = verificationKeys(cert).some((k) => verifySignature(alg, signingInput, sig, k));
  }
  if (!ok || !(d.payload instanceof RObject)) return INVALID();
  const payload = d.payload;
  const timeV = c.get("time");
  const nowNs = timeV instanceof RNumber ? timeV.toNumber() : Number(ctx.nowNs);
  const exp = numericClaim(payload, "exp");
  const nbf = numericClaim(payload, "nbf");
  if (exp !== undefined && nowNs >= exp * 1e9) return INVALID();
  if (nbf !== undefined && nowNs < nbf * 1e9) return INVALID();
  const iss = c.get("iss");
  if (iss !== undefined && payload.get("iss") !== iss) return INVALID();
  const aud = c.get("aud");
  const tokenAud = payload.get("aud");
  if (aud === undefined) {
    if (tokenAud !== undefined) return INVALID();
  } else {
    const auds = tokenAud instanceof RArray ? tokenAud.items : tokenAud === undefined ? [] : [tokenAud];
    if (!auds.includes(aud)) return INVALID();
  }
  return new RArray([true, d.header, payload]);
}

/** Go's encoding/json description of what is wrong with `text`, or "not a JSON object". */
function jsonProblem(text: string): string {
  try {
    parseJSONGo(text);
    return "not a JSON object";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function encodeRaw(headerText: string, payloadText: string, keyText: string): string {
  // Messages carry both the JWS library's wording (as OPA 1.x reports it) and the underlying
  // JSON or algorithm problem (as older OPA reported it).
  let header: RObject;
  try {
    header = parseJSONObject(headerText, "header");
  } catch {
    const detail = jsonProblem(headerText);
    throw fail(headerText.trim() === "" ? `missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string: ${detail}`
      : /^\s*\{/.test(headerText) ? `missing or invalid 'alg' header: cannot parse JSON: ${detail}`
        : `missing or invalid 'alg' header: jwsbb: header "alg" not found: ${detail}`);
  }
  const algName = header.get("alg");
  if (algName === undefined) throw fail('missing or invalid \'alg\' header: jwsbb: header "alg" not found: unsupported signature algorithm');
  if (typeof algName !== "string" || !JWS_ALGS[algName]) throw fail(`unknown JWS algorithm: ${String(algName)}: unknown signature algorithm`);
  const typ = header.get("typ");
  if (typ === "JWT") {
    try {
      if (!(fromJSONText(payloadText) instanceof RObject)) throw new Error("not an object");
    } catch {
      throw fail("type is JWT but payload is not JSON");
    }
  }
  let jwk: JsonWebKey;
  try {
    jwk = JSON.parse(keyText) as JsonWebKey;
  } catch {
    throw fail("failed to parse a JWK key");
  }
  const input = `${utf8(headerText).toString("base64url")}.${utf8(payloadText).toString("base64url")}`;
  const sig = signWithJWK(JWS_ALGS[algName]!, utf8(input), jwk);
  return `${input}.${sig.toString("base64url")}`;
}

function encodeSign(args: Value[]): Value {
  const header = obj(args, 0);
  const payload = args[1] as Value;
  const key = obj(args, 2);
  return encodeRaw(writeJSON(header), writeJSON(payload), JSON.stringify(toJS(key)));
}

/** io.jwt.* builtins: decode, verify (HS/RS/PS/ES/EdDSA), decode_verify, encode_sign(_raw). */
export const jwtBuiltins: BuiltinDef[] = [
  { name: "io.jwt.decode", arity: 1, fn: decode },
  { name: "io.jwt.decode_verify", arity: 2, fn: decodeVerify },
  { name: "io.jwt.encode_sign", arity: 3, fn: encodeSign, nondeterministic: true },
  { name: "io.jwt.encode_sign_raw", arity: 3, fn: (a) => encodeRaw(str(a, 0), str(a, 1), str(a, 2)), nondeterministic: true },
  ...["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"].map(verifier),
  { name: "io.jwt.verify_eddsa", arity: 2, fn: (a) => verifyWith("EdDSA", str(a, 0), str(a, 1)) },
];
