import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** Name of the token file in the run directory (outside the workspace, so it is never archived). */
export const OIDC_TOKEN_FILE = "oidc-token";

/**
 * Hands the run phase its identity token: in GANTRY_OIDC_TOKEN, in Spacelift's
 * SPACELIFT_OIDC_TOKEN for ported code, and in a file (GANTRY_OIDC_TOKEN_FILE, mode 0600) for
 * tools that read one, such as the AWS SDK's web identity provider. The file lives in the run
 * directory, which is removed when the phase ends.
 */
export function runIdentityEnvironment(runDir: string, token: string): { file: string; env: Record<string, string> } {
  const file = join(runDir, OIDC_TOKEN_FILE);
  writeFileSync(file, token, { mode: 0o600 });
  return { file, env: { GANTRY_OIDC_TOKEN: token, SPACELIFT_OIDC_TOKEN: token, GANTRY_OIDC_TOKEN_FILE: file } };
}
