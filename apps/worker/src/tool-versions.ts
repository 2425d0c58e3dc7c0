import semver from "semver";

/**
 * How a worker without the exact terraform/tofu a stack pins may substitute an installed one
 * (GANTRY_TERRAFORM_VERSION_FALLBACK): each rule says "a pin within `requested` may run on the
 * newest installed version within `use`". `same-major` is the rule set `0.x=>0.x,1.x=>1.x,...`.
 * Off by default: a substitute can plan differently, so an operator opts in.
 */
export interface VersionFallbackRule {
  requested: string;
  use: string;
}

/** Parses `same-major` or `REQUESTED=>USE,...` (npm semver ranges or Terraform constraints); throws with what is wrong. */
export function parseVersionFallback(text: string): VersionFallbackRule[] {
  const rules: VersionFallbackRule[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    if (part === "same-major") {
      rules.push({ requested: "same-major", use: "same-major" });
      continue;
    }
    const [requested, use, extra] = part.split("=>").map((s) => s.trim());
    if (!requested || !use || extra !== undefined || !semver.validRange(toSemverRange(requested)) || !semver.validRange(toSemverRange(use))) {
      throw new Error(`terraform version fallback ${JSON.stringify(part)} is not "same-major" or REQUESTED=>USE with version ranges (e.g. 1.7.0=>1.x, ~> 1.5=>1.x)`);
    }
    rules.push({ requested, use });
  }
  return rules;
}

/**
 * A version pin as an npm semver range: Terraform's constraint syntax (`~> 1.5`, `>= 1.5, < 2.0`)
 * is what Spacelift stacks hold, npm's (`1.x`, `^1.5`) what operators may write. Terraform's
 * `~> X.Y` allows X.Y and later within X (npm's `~X.Y` would stop at X.(Y+1)).
 */
export function toSemverRange(pin: string): string {
  return pin
    .split(",")
    .map((c) => c.trim())
    .map((c) => {
      const m = /^~>\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(c);
      if (!m) return c.replace(/^=\s*/, "");
      const [, major, minor, patch] = m;
      if (patch !== undefined) return `>=${major}.${minor}.${patch} <${major}.${Number(minor) + 1}.0`;
      if (minor !== undefined) return `>=${major}.${minor}.0 <${Number(major) + 1}.0.0`;
      return `>=${major}.0.0`;
    })
    .join(" ");
}

/** True when the pin names one exact version (`1.7.0`), false for a range (`~> 1.7`). */
export function isExactVersion(pin: string): boolean {
  return semver.valid(pin) !== null;
}

/** The newest of `installed` that `pin` (exact or a range) allows, or undefined. */
export function newestSatisfying(installed: readonly string[], pin: string): string | undefined {
  return semver.maxSatisfying([...installed], toSemverRange(pin)) ?? undefined;
}

/** The substitute the operator's rules allow for a pin nothing installed satisfies, with the rule that allowed it. */
export function fallbackFor(installed: readonly string[], pin: string, rules: readonly VersionFallbackRule[]): { version: string; rule: string } | undefined {
  const range = toSemverRange(pin);
  const lowest = semver.minVersion(range);
  for (const rule of rules) {
    if (rule.requested === "same-major") {
      if (!lowest) continue;
      const v = semver.maxSatisfying([...installed], `${lowest.major}.x`);
      if (v) return { version: v, rule: "same-major" };
      continue;
    }
    const applies = isExactVersion(pin) ? semver.satisfies(pin, toSemverRange(rule.requested)) : semver.intersects(range, toSemverRange(rule.requested));
    if (!applies) continue;
    const v = semver.maxSatisfying([...installed], toSemverRange(rule.use));
    if (v) return { version: v, rule: `${rule.requested}=>${rule.use}` };
  }
  return undefined;
}
