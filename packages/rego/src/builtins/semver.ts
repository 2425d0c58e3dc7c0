import type { Value } from "../value/index.js";
import { fail, int$, str } from "./args.js";
import type { BuiltinDef } from "./registry.js";

/** SemVer 2.0.0 (no "v" prefix, as OPA's parser requires). */
const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Version {
  core: [bigint, bigint, bigint];
  pre: string[];
}

function parse(s: string, pos: number): Version {
  const m = SEMVER_RE.exec(s);
  if (!m) throw fail(`operand ${pos}: string ${JSON.stringify(s)} is not a valid SemVer`);
  return { core: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] ? m[4].split(".") : [] };
}

function cmpIdent(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer precedence: core numerically, a pre-release sorts before its release; build ignored. */
export function compareSemver(a: string, b: string): number {
  const x = parse(a, 1);
  const y = parse(b, 2);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! < y.core[i]! ? -1 : 1;
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const c = cmpIdent(x.pre[i]!, y.pre[i]!);
    if (c !== 0) return c;
  }
  return x.pre.length === y.pre.length ? 0 : x.pre.length < y.pre.length ? -1 : 1;
}

/** semver.compare and semver.is_valid. */
export const semverBuiltins: BuiltinDef[] = [
  { name: "semver.compare", arity: 2, fn: (a) => int$(compareSemver(str(a, 0), str(a, 1))) },
  { name: "semver.is_valid", arity: 1, fn: (a: Value[]) => typeof a[0] === "string" && SEMVER_RE.test(a[0]) },
];
