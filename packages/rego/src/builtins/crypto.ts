import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Value } from "../value/index.js";
import { str } from "./args.js";
import { utf8 } from "./bytes.js";
import type { BuiltinDef } from "./registry.js";

function hash(name: string, algo: string): BuiltinDef {
  return { name, arity: 1, fn: (a) => createHash(algo).update(utf8(str(a, 0))).digest("hex") };
}

function hmac(name: string, algo: string): BuiltinDef {
  return { name, arity: 2, fn: (a) => createHmac(algo, utf8(str(a, 1))).update(utf8(str(a, 0))).digest("hex") };
}

function hmacEqual(args: Value[]): Value {
  const a = utf8(str(args, 0));
  const b = utf8(str(args, 1));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** crypto hashes and HMACs (hex digests, as OPA returns them). */
export const cryptoBuiltins: BuiltinDef[] = [
  hash("crypto.md5", "md5"),
  hash("crypto.sha1", "sha1"),
  hash("crypto.sha256", "sha256"),
  hmac("crypto.hmac.md5", "md5"),
  hmac("crypto.hmac.sha1", "sha1"),
  hmac("crypto.hmac.sha256", "sha256"),
  hmac("crypto.hmac.sha512", "sha512"),
  { name: "crypto.hmac.equal", arity: 2, fn: hmacEqual },
];
