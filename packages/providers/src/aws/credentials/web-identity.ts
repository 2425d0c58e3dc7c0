import type { errors as JoseErrors } from "jose";
import { ProvidersError } from "../../errors.js";
import type { CloudStore } from "../cloud/cloud-store.js";
import { GLOBAL_REGION } from "../cloud/cloud-file.js";
import type { CallerIdentity } from "./caller-identity.js";
import { discoverJwksUri, issuerKey, issuerUrl } from "./oidc-discovery.js";
import { evaluateTrustPolicy, parseTrustPolicy } from "./trust-policy.js";

/** Input of {@link assumeRoleWithWebIdentity}. */
export interface WebIdentityInput {
  readonly roleArn: string;
  readonly token: string;
  readonly sessionName: string;
  /** The simulated cloud holding the role and its trust policy. */
  readonly store: CloudStore;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

/**
 * Verifies a web identity token as STS AssumeRoleWithWebIdentity does: the role must exist in
 * the simulated cloud; the token's signature (RS256/ES256) must verify against the issuer's
 * JWKS, discovered from `<iss>/.well-known/openid-configuration`; `exp`/`nbf` must hold; and
 * `aud`/`sub` must satisfy the role's trust policy. Returns the assumed-role identity.
 */
export async function assumeRoleWithWebIdentity(input: WebIdentityInput): Promise<CallerIdentity> {
  // Loaded on first use: most provider processes never verify a token, and start-up time counts.
  const { createRemoteJWKSet, decodeJwt, errors: joseErrors, jwtVerify } = await import("jose");
  const match = ROLE_ARN.exec(input.roleArn);
  if (!match) throw new ProvidersError("credentials", `role arn ${JSON.stringify(input.roleArn)} is not an IAM role arn (arn:aws:iam::<12-digit account>:role/<name>)`, { stsCode: "ValidationError" });
  const [, accountId = "", roleName = ""] = match;

  let unverified: { [claim: string]: unknown };
  try {
    unverified = decodeJwt(input.token);
  } catch {
    throw new ProvidersError("credentials", "web identity token refused: it is not a JWT", { stsCode: "InvalidIdentityToken" });
  }
  const issuer = issuerUrl(unverified["iss"]);
  const jwksUri = await discoverJwksUri(issuer);

  let claims: { [claim: string]: unknown };
  try {
    const verified = await jwtVerify(input.token, createRemoteJWKSet(jwksUri, { timeoutDuration: 5_000 }), {
      algorithms: ["RS256", "ES256"],
      requiredClaims: ["exp", "sub", "aud"],
    });
    claims = verified.payload;
  } catch (err) {
    const stsCode = err instanceof joseErrors.JWTExpired ? "ExpiredTokenException" : "InvalidIdentityToken";
    throw new ProvidersError("credentials", `web identity token refused (${stsCode}): ${describeJoseError(joseErrors, err)}`, { cause: err, stsCode });
  }

  const role = await input.store.get({ accountId, region: GLOBAL_REGION }, "aws_iam_role", roleName);
  if (!role) throw new ProvidersError("credentials", `assuming ${input.roleArn} refused (AccessDenied): the role does not exist in the simulated cloud (create it, with a trust policy, first)`, { stsCode: "AccessDenied" });
  if (role["arn"] !== undefined && role["arn"] !== input.roleArn) {
    throw new ProvidersError("credentials", `assuming ${input.roleArn} refused (AccessDenied): the role's arn is ${String(role["arn"])}`, { stsCode: "AccessDenied" });
  }
  let decision;
  try {
    const policy = parseTrustPolicy(typeof role["assume_role_policy"] === "string" ? role["assume_role_policy"] : "");
    decision = evaluateTrustPolicy(policy, { accountId, issuerKey: issuerKey(issuer), claims });
  } catch (err) {
    throw new ProvidersError("credentials", `assuming ${input.roleArn} refused (AccessDenied): ${(err as Error).message}`, { stsCode: "AccessDenied" });
  }
  if (!decision.allowed) throw new ProvidersError("credentials", `assuming ${input.roleArn} refused (AccessDenied): ${decision.reason}`, { stsCode: "AccessDenied" });

  const roleId = typeof role["unique_id"] === "string" ? role["unique_id"] : "AROAGANTRYSIM";
  return {
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${input.sessionName}`,
    userId: `${roleId}:${input.sessionName}`,
    source: "web-identity",
  };
}

function describeJoseError(joseErrors: typeof JoseErrors, err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "the token has expired (exp is in the past)";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `claim ${err.claim} is invalid: ${err.reason === "check_failed" ? err.message : err.reason}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "its signature does not verify against the issuer's JWKS";
  if (err instanceof joseErrors.JWKSNoMatchingKey) return "no key in the issuer's JWKS matches the token's kid and algorithm";
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return "its algorithm is not allowed (use RS256 or ES256)";
  return (err as Error).message;
}
