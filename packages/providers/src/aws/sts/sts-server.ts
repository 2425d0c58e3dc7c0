import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ProvidersError, type StsErrorCode } from "../../errors.js";
import type { CloudStore } from "../cloud/cloud-store.js";
import { GLOBAL_REGION } from "../cloud/cloud-file.js";
import { assumeRoleWithWebIdentity } from "../credentials/web-identity.js";
import { issueSession } from "./sessions.js";

/** A running simulated STS endpoint. */
export interface SimulatedSts {
  /** Base URL to POST the query API to, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  close(): Promise<void>;
}

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

class StsFault extends Error {
  constructor(
    readonly code: StsErrorCode | "InvalidAction" | "MissingParameter",
    message: string,
  ) {
    super(message);
  }
}

function statusOf(code: StsFault["code"]): number {
  return code === "AccessDenied" ? 403 : 400;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new StsFault("ValidationError", "request body is larger than 64 KiB");
    chunks.push(chunk as Buffer);
  }
  const params = new URLSearchParams(new URL(req.url ?? "/", "http://sts").search);
  for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) params.set(k, v);
  return params;
}

function required(params: URLSearchParams, name: string): string {
  const v = params.get(name);
  if (!v) throw new StsFault("MissingParameter", `The request must contain the parameter ${name}`);
  return v;
}

/**
 * STS's `AssumeRoleWithWebIdentity` over the AWS query API, against the simulated cloud: the
 * token is verified exactly as the provider verifies it (issuer discovery, JWKS signature,
 * expiry, the role's trust policy), and the answer carries temporary keys that the simulator
 * provider then accepts from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
 * Refusals use STS's error XML and codes (AccessDenied, InvalidIdentityToken, ExpiredTokenException, ...).
 */
async function assumeRole(store: CloudStore, params: URLSearchParams): Promise<string> {
  const action = params.get("Action");
  if (action !== "AssumeRoleWithWebIdentity") throw new StsFault("InvalidAction", `Could not find operation ${action ?? "(none)"}: the simulated STS implements AssumeRoleWithWebIdentity`);
  const roleArn = required(params, "RoleArn");
  const sessionName = required(params, "RoleSessionName");
  const token = required(params, "WebIdentityToken");
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new StsFault("ValidationError", "RoleSessionName must be 2 to 64 characters of letters, digits and +=,.@-");
  const duration = Number(params.get("DurationSeconds") ?? "3600");
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) throw new StsFault("ValidationError", "DurationSeconds must be an integer between 900 and 43200");
  let identity;
  try {
    identity = await assumeRoleWithWebIdentity({ roleArn, token, sessionName, store });
  } catch (err) {
    if (err instanceof ProvidersError) throw new StsFault(err.stsCode ?? "AccessDenied", err.message);
    throw err;
  }
  const roleName = roleArn.slice(roleArn.lastIndexOf("/") + 1);
  const role = await store.get({ accountId: identity.accountId, region: GLOBAL_REGION }, "aws_iam_role", roleName);
  const max = typeof role?.["max_session_duration"] === "number" ? role["max_session_duration"] : 3600;
  if (duration > max) throw new StsFault("ValidationError", `The requested DurationSeconds (${duration}) exceeds the MaxSessionDuration (${max}) set for this role`);
  const session = await issueSession(store, identity, duration);
  const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { sub?: string; aud?: string | string[]; iss?: string };
  return [
    `<AssumeRoleWithWebIdentityResponse xmlns="${NS}">`,
    "<AssumeRoleWithWebIdentityResult>",
    `<SubjectFromWebIdentityToken>${xmlEscape(String(claims.sub ?? ""))}</SubjectFromWebIdentityToken>`,
    `<Audience>${xmlEscape(String(Array.isArray(claims.aud) ? claims.aud[0] : (claims.aud ?? "")))}</Audience>`,
    `<AssumedRoleUser><Arn>${xmlEscape(identity.arn)}</Arn><AssumedRoleId>${xmlEscape(identity.userId)}</AssumedRoleId></AssumedRoleUser>`,
    "<Credentials>",
    `<AccessKeyId>${session.accessKeyId}</AccessKeyId>`,
    `<SecretAccessKey>${xmlEscape(session.secretAccessKey)}</SecretAccessKey>`,
    `<SessionToken>${xmlEscape(session.sessionToken)}</SessionToken>`,
    `<Expiration>${session.expiration.toISOString()}</Expiration>`,
    "</Credentials>",
    `<Provider>${xmlEscape(String(claims.iss ?? ""))}</Provider>`,
    "</AssumeRoleWithWebIdentityResult>",
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`,
    "</AssumeRoleWithWebIdentityResponse>",
  ].join("");
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": randomUUID() });
  res.end(body);
}

/**
 * Starts the simulated STS endpoint over a simulated cloud (the provider's `AWS_SIM_DIR`).
 *
 * @example
 * const sts = await startSimulatedSts(new CloudStore("/tmp/sim"));
 * // POST Action=AssumeRoleWithWebIdentity&RoleArn=...&RoleSessionName=...&WebIdentityToken=... to sts.url
 */
export async function startSimulatedSts(store: CloudStore, listen: { host?: string; port?: number } = {}): Promise<SimulatedSts> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== "POST" && req.method !== "GET") throw new StsFault("InvalidAction", "use POST with a form body (the AWS query API)");
        send(res, 200, await assumeRole(store, await readForm(req)));
      } catch (err) {
        const fault = err instanceof StsFault ? err : new StsFault("IDPCommunicationError", `internal error of the simulated STS: ${(err as Error).message}`);
        send(res, statusOf(fault.code), `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${xmlEscape(fault.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port ?? 0, listen.host ?? "127.0.0.1", resolve);
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
