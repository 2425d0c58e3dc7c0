import { readFile } from "node:fs/promises";
import { ProvidersError } from "../../errors.js";
import type { CloudStore } from "../cloud/cloud-store.js";
import { anonymousIdentity, DEFAULT_ACCOUNT_ID } from "./caller-identity.js";
import type { CallerIdentity } from "./caller-identity.js";
import { assumeRoleWithWebIdentity } from "./web-identity.js";
import { verifySession, type SessionCredentials } from "../sts/sessions.js";

/** Credential settings gathered from the provider block and the environment (block wins). */
export interface CredentialSettings {
  readonly roleArn?: string;
  /** The token itself (provider block `web_identity_token`). */
  readonly webIdentityToken?: string;
  readonly webIdentityTokenFile?: string;
  readonly sessionName?: string;
  /** Temporary keys from the environment (all three variables set). */
  readonly sessionCredentials?: SessionCredentials;
  /** Where static credentials were offered (env names or provider attributes), if anywhere. */
  readonly staticCredentialSources: readonly string[];
  readonly allowAnonymous: boolean;
  readonly anonymousAccountId?: string;
}

const HOW_TO = "the simulator accepts only web identity credentials (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, or an assume_role_with_web_identity block) and temporary keys its STS issued for them; set AWS_SIM_ALLOW_ANONYMOUS=1 for tests and demos that do not exercise credentials";

/**
 * Decides who the provider acts as. A role plus a web identity token is verified like STS
 * would; temporary keys (with a session token) must be ones the simulated STS issued and not
 * expired, as AWS checks them (and as the SDK's chain, they come before web identity);
 * anything else is refused (static keys included: zero static credentials is the point)
 * unless anonymous runs are allowed.
 */
export async function resolveCredentials(settings: CredentialSettings, store: CloudStore): Promise<CallerIdentity> {
  const hasToken = settings.webIdentityToken !== undefined || settings.webIdentityTokenFile !== undefined;
  if (settings.sessionCredentials) return verifySession(store, settings.sessionCredentials);
  if (settings.roleArn !== undefined && hasToken) {
    const token = settings.webIdentityToken ?? (await readToken(settings.webIdentityTokenFile ?? ""));
    return assumeRoleWithWebIdentity({ roleArn: settings.roleArn, token, sessionName: settings.sessionName ?? "terraform", store });
  }
  if (settings.roleArn !== undefined || hasToken) {
    throw new ProvidersError("credentials", `incomplete web identity credentials: set both a role arn and a web identity token file (${settings.roleArn === undefined ? "role arn" : "token"} is missing)`);
  }
  if (settings.allowAnonymous) return anonymousIdentity(settings.anonymousAccountId ?? DEFAULT_ACCOUNT_ID);
  if (settings.staticCredentialSources.length > 0) {
    throw new ProvidersError("credentials", `static credentials refused (${settings.staticCredentialSources.join(", ")}): ${HOW_TO}`);
  }
  throw new ProvidersError("credentials", `no credentials: ${HOW_TO}`);
}

async function readToken(path: string): Promise<string> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (err) {
    throw new ProvidersError("credentials", `reading the web identity token file ${path} failed: ${(err as NodeJS.ErrnoException).code ?? "error"}`, { cause: err });
  }
}
