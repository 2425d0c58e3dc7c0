import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ProvidersError } from "../../errors.js";
import type { CloudStore } from "../cloud/cloud-store.js";
import { GLOBAL_REGION } from "../cloud/cloud-file.js";
import type { CallerIdentity } from "../credentials/caller-identity.js";

/** Temporary keys, as STS hands them out and the SDK reads them from the environment. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** Where issued sessions live in the simulated cloud: the role's account, global file. */
const SESSION_TYPE = "sts_session";
const TOKEN_PREFIX = "GSIMv1";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function accessKeyId(): string {
  const bytes = randomBytes(16);
  return `ASIA${[...bytes].map((b) => ALNUM[b % ALNUM.length]).join("")}`;
}

/**
 * Issues temporary keys for an assumed-role identity, as STS does, and records them in the
 * simulated cloud (hashes only: the simulated cloud is a plain directory). The session token
 * names the account, so the provider finds the record without a global index.
 */
export async function issueSession(store: CloudStore, identity: CallerIdentity, durationSeconds: number): Promise<SessionCredentials & { expiration: Date }> {
  const account = Buffer.from(JSON.stringify({ a: identity.accountId })).toString("base64url");
  const credentials = { accessKeyId: accessKeyId(), secretAccessKey: randomBytes(30).toString("base64"), sessionToken: `${TOKEN_PREFIX}.${account}.${randomBytes(48).toString("base64url")}` };
  const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + durationSeconds * 1000);
  await store.update({ accountId: identity.accountId, region: GLOBAL_REGION }, (file) => {
    const sessions = (file.objects[SESSION_TYPE] ??= {});
    // Expired sessions are dropped as new ones are issued, so the file does not grow forever.
    for (const [id, s] of Object.entries(sessions)) if (typeof s["expiration"] === "string" && Date.parse(s["expiration"]) < Date.now()) delete sessions[id];
    sessions[credentials.accessKeyId] = {
      secret_sha256: sha256(credentials.secretAccessKey),
      session_token_sha256: sha256(credentials.sessionToken),
      expiration: expiration.toISOString(),
      arn: identity.arn,
      user_id: identity.userId,
    };
  });
  return { ...credentials, expiration };
}

const refused = (why: string) => new ProvidersError("credentials", `temporary credentials refused (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN): ${why}`);

/** Checks temporary keys against the sessions the simulated STS issued; returns their identity. */
export async function verifySession(store: CloudStore, credentials: SessionCredentials): Promise<CallerIdentity> {
  const [prefix, account] = credentials.sessionToken.split(".");
  let accountId: unknown;
  try {
    accountId = prefix === TOKEN_PREFIX && account ? (JSON.parse(Buffer.from(account, "base64url").toString("utf8")) as { a?: unknown }).a : undefined;
  } catch {
    accountId = undefined;
  }
  if (typeof accountId !== "string" || !/^\d{12}$/.test(accountId)) {
    throw refused("the session token was not issued by the simulator's STS (static or foreign keys are not accepted: use web identity credentials, or keys from the simulated STS's AssumeRoleWithWebIdentity)");
  }
  const session = await store.get({ accountId, region: GLOBAL_REGION }, SESSION_TYPE, credentials.accessKeyId);
  if (!session || !same(String(session["secret_sha256"]), sha256(credentials.secretAccessKey)) || !same(String(session["session_token_sha256"]), sha256(credentials.sessionToken))) {
    throw refused("the simulated STS never issued these keys (InvalidClientTokenId)");
  }
  if (Date.parse(String(session["expiration"])) <= Date.now()) throw refused(`the session expired at ${String(session["expiration"])} (ExpiredToken): assume the role again`);
  return { accountId, arn: String(session["arn"]), userId: String(session["user_id"]), source: "web-identity" };
}
