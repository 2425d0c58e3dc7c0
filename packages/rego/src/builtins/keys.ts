import { createPrivateKey } from "node:crypto";
import { RArray, fromJS } from "../value/index.js";
import type { Value } from "../value/index.js";
import { str } from "./args.js";
import type { BuiltinDef } from "./registry.js";

const PEM_BLOCK = /-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g;

/**
 * crypto.parse_private_keys: every private key in a PEM bundle (or its base64 encoding), as
 * JWKs. An empty string gives null and text without keys an empty array, as in OPA.
 */
function parsePrivateKeys(args: Value[]): Value {
  const input = str(args, 0);
  if (input === "") return null;
  let text = input;
  if (!text.includes("-----BEGIN")) {
    const decoded = Buffer.from(text, "base64").toString("utf8");
    if (decoded.includes("-----BEGIN")) text = decoded;
  }
  const keys: Value[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    try {
      keys.push(fromJS(createPrivateKey(m[0]).export({ format: "jwk" })));
    } catch {
      // Not a key Node can read: OPA skips blocks it cannot parse as well.
    }
  }
  return new RArray(keys);
}

/** crypto.parse_private_keys. */
export const keyBuiltins: BuiltinDef[] = [{ name: "crypto.parse_private_keys", arity: 1, fn: parsePrivateKeys }];
