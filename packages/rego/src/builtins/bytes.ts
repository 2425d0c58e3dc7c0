import { fail } from "./args.js";

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Strict base64 decoding as Go's encoding/base64 does it (Node's decoder silently skips bad
 * characters), failing with Go's `illegal base64 data at input byte N`.
 */
export function decodeBase64(s: string, url: boolean, padded: boolean): Buffer {
  const alphabet = url ? URL : STD;
  let end = s.length;
  if (padded) {
    if (s.length % 4 !== 0) {
      for (let i = 0; i < s.length; i++) if (!alphabet.includes(s[i]!)) throw fail(`illegal base64 data at input byte ${i}`);
      throw fail(`illegal base64 data at input byte ${s.length - (s.length % 4)}`);
    }
    if (s.endsWith("==")) end -= 2;
    else if (s.endsWith("=")) end -= 1;
  }
  for (let i = 0; i < end; i++) {
    if (!alphabet.includes(s[i]!)) throw fail(`illegal base64 data at input byte ${i}`);
  }
  if (!padded && end % 4 === 1) throw fail(`illegal base64 data at input byte ${end - 1}`);
  return Buffer.from(s.slice(0, end), url ? "base64url" : "base64");
}

/** Bytes to a string the way Rego sees them (invalid UTF-8 becomes U+FFFD). */
export function bytesToString(b: Uint8Array): string {
  return new TextDecoder("utf-8").decode(b);
}

/** A string's UTF-8 bytes. */
export function utf8(s: string): Buffer {
  return Buffer.from(s, "utf8");
}
