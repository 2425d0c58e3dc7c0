import { RArray, RObject } from "../value/index.js";
import type { Value } from "../value/index.js";
import { fail, int$, str } from "./args.js";
import { queryUnescape } from "./encoding.js";
import type { BuiltinDef } from "./registry.js";

/** RFC 3986 appendix B, plus a check that the scheme is well formed. */
const URI_RE = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
const AUTHORITY_RE = /^(?:([^@]*)@)?(\[[^\]]*\]|[^:]*)(?::(\d*))?$/;

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw fail(`invalid percent-encoding in ${JSON.stringify(s)}`);
  }
}

/**
 * Splits a URI into its RFC 3986 parts. Returns undefined when it is not a URI: no scheme, a
 * malformed authority, bad percent-encoding, or characters that must be escaped.
 */
export function parseURI(s: string): RObject | undefined {
  if (/[\s<>"{}|\\^`]/.test(s) || /%(?![0-9a-fA-F]{2})/.test(s)) return undefined;
  const m = URI_RE.exec(s);
  if (!m || m[1] === undefined) return undefined;
  const [, scheme, authority, path = "", query, fragment] = m;
  const entries: [Value, Value][] = [["scheme", scheme.toLowerCase()], ["path", decodeComponent(path)]];
  if (authority !== undefined) {
    const a = AUTHORITY_RE.exec(authority);
    if (!a) return undefined;
    const [, userinfo, host = "", port] = a;
    entries.push(["host", host.replace(/^\[|\]$/g, "")]);
    if (port) entries.push(["port", int$(Number(port))]);
    if (userinfo !== undefined) {
      const [user = "", ...pw] = userinfo.split(":");
      entries.push(["user", decodeComponent(user)]);
      if (pw.length) entries.push(["password", decodeComponent(pw.join(":"))]);
    }
  }
  if (query !== undefined) {
    entries.push(["raw_query", query]);
    const params = new Map<string, string[]>();
    for (const part of query.split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const k = queryUnescape(eq < 0 ? part : part.slice(0, eq));
      params.set(k, [...(params.get(k) ?? []), eq < 0 ? "" : queryUnescape(part.slice(eq + 1))]);
    }
    entries.push(["query", RObject.from([...params].map(([k, v]) => [k, new RArray(v)] as [Value, Value]))]);
  }
  if (fragment !== undefined) entries.push(["fragment", decodeComponent(fragment)]);
  return RObject.from(entries);
}

/**
 * uri.parse(s): `{scheme, host, port?, user?, password?, path, raw_query?, query?, fragment?}`
 * (path and fragment percent-decoded, query as key → list of values); an error when `s` is not
 * an absolute URI. uri.is_valid(s): whether uri.parse would succeed (false for non-strings).
 */
export const uriBuiltins: BuiltinDef[] = [
  {
    name: "uri.parse",
    arity: 1,
    fn: (a) => {
      const s = str(a, 0);
      const u = parseURI(s);
      if (!u) throw fail(`${JSON.stringify(s)} is not a valid absolute URI`);
      return u;
    },
  },
  {
    name: "uri.is_valid",
    arity: 1,
    fn: (a) => {
      const s = a[0];
      if (typeof s !== "string") return false;
      try {
        return parseURI(s) !== undefined;
      } catch {
        return false;
      }
    },
  },
];
