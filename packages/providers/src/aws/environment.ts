import type { SessionCredentials } from "./sts/sessions.js";

/**
 * Everything the simulator reads from its environment, read once at start-up. Nothing else in
 * the package looks at `process.env`. Names are the AWS SDK's, plus `AWS_SIM_*` for the simulator.
 */
export interface SimEnvironment {
  readonly region?: string;
  readonly roleArn?: string;
  readonly webIdentityTokenFile?: string;
  readonly roleSessionName?: string;
  /** AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY + AWS_SESSION_TOKEN, all three set: temporary keys to check against the simulated STS's sessions. */
  readonly sessionCredentials?: SessionCredentials;
  /** Names of static-credential variables that are set (only reported, never used). */
  readonly staticCredentialSources: readonly string[];
  /** `AWS_SIM_ALLOW_ANONYMOUS=1`: run without credentials (tests and demos). */
  readonly allowAnonymous: boolean;
  readonly simDir?: string;
  /** Account of anonymous runs (`AWS_SIM_ACCOUNT_ID`). */
  readonly accountId?: string;
}

const STATIC_SOURCES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE"];

/** Reads the environment (default: this process's). */
export function readSimEnvironment(env: NodeJS.ProcessEnv = process.env): SimEnvironment {
  const value = (name: string) => (env[name] ? env[name] : undefined);
  return {
    region: value("AWS_REGION") ?? value("AWS_DEFAULT_REGION"),
    roleArn: value("AWS_ROLE_ARN"),
    webIdentityTokenFile: value("AWS_WEB_IDENTITY_TOKEN_FILE"),
    roleSessionName: value("AWS_ROLE_SESSION_NAME"),
    sessionCredentials: sessionFrom(value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY"), value("AWS_SESSION_TOKEN")),
    staticCredentialSources: STATIC_SOURCES.filter((name) => value(name) !== undefined),
    allowAnonymous: env["AWS_SIM_ALLOW_ANONYMOUS"] === "1" || env["AWS_SIM_ALLOW_ANONYMOUS"] === "true",
    simDir: value("AWS_SIM_DIR"),
    accountId: value("AWS_SIM_ACCOUNT_ID"),
  };
}

function sessionFrom(accessKeyId?: string, secretAccessKey?: string, sessionToken?: string): SessionCredentials | undefined {
  return accessKeyId && secretAccessKey && sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : undefined;
}
