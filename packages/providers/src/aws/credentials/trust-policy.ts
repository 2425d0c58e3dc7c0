/**
 * Role trust policies, in IAM's own JSON shape, as stored in a simulated `aws_iam_role`'s
 * `assume_role_policy`. Only what AssumeRoleWithWebIdentity looks at is evaluated:
 *
 * ```json
 * { "Version": "2012-10-17",
 *   "Statement": [{
 *     "Effect": "Allow",
 *     "Principal": { "Federated": "arn:aws:iam::123456789012:oidc-provider/gantry.example.com" },
 *     "Action": "sts:AssumeRoleWithWebIdentity",
 *     "Condition": {
 *       "StringEquals": { "gantry.example.com:aud": "sts.amazonaws.com" },
 *       "StringLike":   { "gantry.example.com:sub": "space:root:stack:*" } } }] }
 * ```
 * Condition keys are `<issuer without scheme>:<claim>` (`aud`, `sub`, or any other string
 * claim). Operators: StringEquals, StringNotEquals, StringLike, StringNotLike (with `*`, `?`).
 */
export interface TrustPolicy {
  readonly Version?: string;
  readonly Statement: TrustStatement | readonly TrustStatement[];
}

/** One statement of a trust policy. */
export interface TrustStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: { readonly Federated?: string | readonly string[] } | "*";
  readonly Action: string | readonly string[];
  readonly Condition?: { readonly [operator: string]: { readonly [key: string]: string | readonly string[] } };
}

/** What the token says, for policy evaluation. */
export interface WebIdentityRequest {
  readonly accountId: string;
  /** Issuer without its scheme, e.g. `gantry.example.com` or `127.0.0.1:8080/oidc`. */
  readonly issuerKey: string;
  readonly claims: { readonly [claim: string]: unknown };
}

/** The outcome: allowed, or refused with a reason a person can act on. */
export type TrustDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ACTION = "sts:AssumeRoleWithWebIdentity";
const OPERATORS = new Set(["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"]);

/** Parses an `assume_role_policy` document; throws a message naming what is wrong. */
export function parseTrustPolicy(text: string): TrustPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error("the trust policy is not valid JSON");
  }
  if (typeof doc !== "object" || doc === null || !("Statement" in doc)) throw new Error("the trust policy has no Statement");
  const policy = doc as TrustPolicy;
  for (const statement of statements(policy)) {
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny") throw new Error(`a trust policy statement has Effect ${JSON.stringify(statement.Effect)}: use "Allow" or "Deny"`);
    for (const operator of Object.keys(statement.Condition ?? {})) {
      if (!OPERATORS.has(operator)) throw new Error(`condition operator ${operator} is not supported by the simulator: use ${[...OPERATORS].join(", ")}`);
    }
  }
  return policy;
}

/**
 * Decides like STS: an explicit Deny wins; otherwise some Allow statement must name the
 * issuer's OIDC provider, allow the action, constrain the audience and have every condition hold.
 * The simulator has no OIDC provider registry, so the audience check that AWS does against the
 * provider's client ids is required to be in the trust policy instead.
 */
export function evaluateTrustPolicy(policy: TrustPolicy, request: WebIdentityRequest): TrustDecision {
  const provider = `arn:aws:iam::${request.accountId}:oidc-provider/${request.issuerKey}`;
  const applicable = statements(policy).filter((s) => allowsAction(s) && namesProvider(s, provider));
  for (const s of applicable) {
    if (s.Effect === "Deny" && conditionsHold(s, request)) return { allowed: false, reason: `a Deny statement${sid(s)} matches the token` };
  }
  const allows = applicable.filter((s) => s.Effect === "Allow");
  if (allows.length === 0) return { allowed: false, reason: `no Allow statement names principal ${provider} with action ${ACTION}` };
  const audKey = `${request.issuerKey}:aud`;
  const constrained = allows.filter((s) => Object.values(s.Condition ?? {}).some((keys) => audKey in keys));
  if (constrained.length === 0) return { allowed: false, reason: `no Allow statement has a condition on ${audKey}` };
  if (constrained.some((s) => conditionsHold(s, request))) return { allowed: true };
  return { allowed: false, reason: `the token's claims (aud ${JSON.stringify(request.claims["aud"])}, sub ${JSON.stringify(request.claims["sub"])}) do not meet the conditions of any Allow statement` };
}

function statements(policy: TrustPolicy): readonly TrustStatement[] {
  return Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement as TrustStatement];
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}

function allowsAction(s: TrustStatement): boolean {
  return list(s.Action).some((a) => a === ACTION || a === "sts:*" || a === "*");
}

function namesProvider(s: TrustStatement, provider: string): boolean {
  if (s.Principal === "*") return true;
  return list(s.Principal?.Federated).includes(provider);
}

function sid(s: TrustStatement): string {
  return s.Sid ? ` (${s.Sid})` : "";
}

function conditionsHold(s: TrustStatement, request: WebIdentityRequest): boolean {
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const claim = key.startsWith(`${request.issuerKey}:`) ? key.slice(request.issuerKey.length + 1) : undefined;
      const actual = claimValues(claim === undefined ? undefined : request.claims[claim]);
      if (!conditionHolds(operator, actual, list(expected))) return false;
    }
  }
  return true;
}

function claimValues(value: unknown): readonly string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** A multi-valued claim (an `aud` array) satisfies a positive operator if any value matches. */
function conditionHolds(operator: string, actual: readonly string[], expected: readonly string[]): boolean {
  const equals = (a: string) => expected.includes(a);
  const like = (a: string) => expected.some((pattern) => globMatch(pattern, a));
  switch (operator) {
    case "StringEquals":
      return actual.some(equals);
    case "StringLike":
      return actual.some(like);
    case "StringNotEquals":
      return !actual.some(equals);
    case "StringNotLike":
      return !actual.some(like);
    default:
      return false;
  }
}

/** IAM's StringLike: `*` is any run of characters, `?` one character, case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}
