import type { Db } from "../db/connect.js";
import { AppError } from "../errors.js";
import { authenticate } from "../users/authenticate.js";
import type { LoginGate } from "../users/login-gate.js";
import type { Principal } from "./principal.js";
import { authenticateRunApiToken, isRunApiToken } from "./run-api-tokens.js";

/**
 * Resolves the bearer token of a public API request: a run API token (`gra_...`) of an
 * administrative run, or a person's API key or session. Throws `unauthenticated` with the
 * reason when the token does not work.
 */
export async function authenticateBearer(db: Db, token: string, gate?: LoginGate): Promise<Principal> {
  if (isRunApiToken(token)) return authenticateRunApiToken(db, token);
  const principal = await authenticate(db, token, gate);
  if (!principal) throw new AppError("unauthenticated", "the token is not valid (unknown, revoked or expired): log in again or use another API key");
  return principal;
}
