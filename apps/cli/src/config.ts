import { GantryClient } from "@gantry/contract";
import { usageError } from "./errors.js";
import { profilesPath, readProfiles } from "./profile.js";

/** Where the CLI sends its calls and with which credential. */
export interface Connection {
  url: string;
  token: string | undefined;
  /** Where the values came from, for messages: "environment" or `profile <name>`. */
  source: string;
}

/** What the CLI reads from its environment; nothing else in the CLI reads `process.env`. */
export interface CliEnv {
  env: Record<string, string | undefined>;
  /** `--profile`, if given. */
  profile?: string;
}

/**
 * Resolves the server URL and credential: `GANTRY_URL` and `GANTRY_API_KEY` win over the
 * selected profile (`--profile`, else `GANTRY_PROFILE`, else the current one in profiles.json),
 * each on its own, so a script can point a saved login at another key.
 */
export function resolveConnection({ env, profile }: CliEnv): Connection {
  const path = profilesPath(env);
  const file = readProfiles(path);
  const name = profile ?? env.GANTRY_PROFILE ?? file.current;
  const saved = file.profiles[name];
  if (profile !== undefined && !saved) throw usageError(`no profile named ${JSON.stringify(profile)} in ${path}: run gantry login --profile ${profile} --url URL first`);
  const url = env.GANTRY_URL || saved?.url;
  if (!url) throw usageError("no Gantry server configured: set GANTRY_URL and GANTRY_API_KEY, or run gantry login --url URL --api-key KEY");
  const token = env.GANTRY_API_KEY || saved?.token;
  const source = env.GANTRY_URL ? "environment" : `profile ${name}`;
  return { url, token, source };
}

/** A typed API client for the resolved connection. */
export function clientFor(conn: Connection): GantryClient {
  return new GantryClient({ baseUrl: conn.url, token: conn.token, headers: { "user-agent": "gantry-cli" } });
}
