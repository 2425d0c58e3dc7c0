import semver from "semver";

/**
 * Whether a Terraform version constraint (`~> 2.0`, `>= 1.2, < 2.0.0`, `!= 1.3.0`, `2.1.0`)
 * admits a version, with Terraform's meaning of `~>` (the rightmost given part may grow) and
 * its rule that a pre-release is admitted only when named exactly. No constraint admits all.
 *
 * @example constraintAdmits("~> 2.0", "2.2.0") // true
 * @example constraintAdmits("~> 2.0", "3.0.0") // false
 */
export function constraintAdmits(constraint: string | null | undefined, version: string): boolean {
  if (!constraint || !constraint.trim()) return semver.prerelease(version) === null;
  const v = semver.parse(version);
  if (!v) return false;
  let exactPrerelease = false;
  for (const part of constraint.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(part);
    if (!m) return false;
    const [, op = "=", major, minor, patch, pre = ""] = m;
    const full = `${major}.${minor ?? 0}.${patch ?? 0}${pre}`;
    if (op === "=" && pre && semver.eq(v, full)) exactPrerelease = true;
    const ok = (() => {
      switch (op) {
        case "=": return semver.eq(v, full);
        case "!=": return !semver.eq(v, full);
        case ">": return semver.gt(v, full);
        case ">=": return semver.gte(v, full);
        case "<": return semver.lt(v, full);
        case "<=": return semver.lte(v, full);
        default: {
          // ~> X.Y.Z: >= X.Y.Z, < X.(Y+1).0;  ~> X.Y and ~> X: >= X.Y.0, < (X+1).0.0
          const upper = patch !== undefined ? `${major}.${Number(minor) + 1}.0` : `${Number(major) + 1}.0.0`;
          return semver.gte(v, full) && semver.lt(v, `${upper}-0`) && !(semver.prerelease(v) && semver.eq(v, upper));
        }
      }
    })();
    if (!ok) return false;
  }
  return semver.prerelease(version) === null || exactPrerelease;
}
