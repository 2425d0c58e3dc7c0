import { WorkerError } from "../errors.js";

/** Temporary keys returned by STS. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

/** The STS endpoint of a region (the global one without a region), as the AWS SDK picks it. */
export function defaultStsEndpoint(region: string | null): string {
  return region ? `https://sts.${region}.amazonaws.com` : "https://sts.amazonaws.com";
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const unescapeXml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/**
 * STS `AssumeRoleWithWebIdentity` over the AWS query API (a form POST, an XML answer). It needs
 * no AWS credentials: the web identity token is the credential. A refusal becomes a
 * WorkerError carrying STS's own code and message (AccessDenied, ExpiredTokenException, ...).
 */
export async function assumeRoleWithWebIdentity(endpoint: string, input: { roleArn: string; sessionName: string; token: string; durationSeconds: number }): Promise<TemporaryCredentials> {
  const body = new URLSearchParams({
    Action: "AssumeRoleWithWebIdentity",
    Version: "2011-06-15",
    RoleArn: input.roleArn,
    RoleSessionName: input.sessionName,
    WebIdentityToken: input.token,
    DurationSeconds: String(input.durationSeconds),
  });
  let status: number;
  let xml: string;
  try {
    const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", accept: "text/xml" }, body, signal: AbortSignal.timeout(15_000) });
    status = res.status;
    xml = await res.text();
  } catch (err) {
    throw new WorkerError("credentials", `calling STS at ${endpoint} failed (${(err as Error).message}): check the worker's STS endpoint (GANTRY_AWS_STS_ENDPOINT) and its network`, { cause: err });
  }
  if (status !== 200) {
    const code = tag(xml, "Code") ?? `HTTP ${status}`;
    const message = unescapeXml(tag(xml, "Message") ?? "no message");
    throw new WorkerError("credentials", `assuming ${input.roleArn} with the run's identity token was refused by STS (${code}): ${message}`);
  }
  const accessKeyId = tag(xml, "AccessKeyId");
  const secretAccessKey = tag(xml, "SecretAccessKey");
  const sessionToken = tag(xml, "SessionToken");
  const expiration = tag(xml, "Expiration");
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) throw new WorkerError("credentials", `STS at ${endpoint} answered AssumeRoleWithWebIdentity without credentials: is it an STS endpoint?`);
  return { accessKeyId, secretAccessKey: unescapeXml(secretAccessKey), sessionToken: unescapeXml(sessionToken), expiration };
}
