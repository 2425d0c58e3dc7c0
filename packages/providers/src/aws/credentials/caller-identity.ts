/** Who the provider acts as: what `aws_caller_identity` returns. */
export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
  /** How it was obtained. */
  readonly source: "web-identity" | "anonymous";
}

/** The account used when nothing names one. */
export const DEFAULT_ACCOUNT_ID = "123456789012";

/** The identity of AWS_SIM_ALLOW_ANONYMOUS=1 runs. */
export function anonymousIdentity(accountId: string): CallerIdentity {
  return { accountId, arn: `arn:aws:iam::${accountId}:user/gantry-sim-anonymous`, userId: "AIDAGANTRYSIMANONYMOUS", source: "anonymous" };
}
