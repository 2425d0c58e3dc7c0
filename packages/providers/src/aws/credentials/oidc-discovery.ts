import { ProvidersError } from "../../errors.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Checks an issuer URL like STS does (https only) with one allowance: plain http on a loopback
 * host, so tests and local demos can serve discovery without a certificate.
 */
export function issuerUrl(iss: unknown): URL {
  if (typeof iss !== "string") throw new ProvidersError("credentials", "web identity token refused: it has no iss claim", { stsCode: "InvalidIdentityToken" });
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    throw new ProvidersError("credentials", `web identity token refused: iss ${JSON.stringify(iss)} is not a URL`, { stsCode: "InvalidIdentityToken" });
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new ProvidersError("credentials", `web identity token refused: issuer ${iss} must use https`, { stsCode: "InvalidIdentityToken" });
  }
  return url;
}

/** The issuer as IAM names it in provider ARNs and condition keys: no scheme, no trailing slash. */
export function issuerKey(url: URL): string {
  return `${url.host}${url.pathname}`.replace(/\/+$/, "");
}

/** Fetches `<iss>/.well-known/openid-configuration` and returns its `jwks_uri`. */
export async function discoverJwksUri(issuer: URL, timeoutMs = 5_000): Promise<URL> {
  const base = issuer.href.replace(/\/+$/, "");
  const where = `${base}/.well-known/openid-configuration`;
  let doc: unknown;
  try {
    const response = await fetch(where, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    doc = await response.json();
  } catch (err) {
    throw new ProvidersError("credentials", `web identity token refused: OIDC discovery at ${where} failed (${(err as Error).message})`, { cause: err, stsCode: "IDPCommunicationError" });
  }
  const record = (typeof doc === "object" && doc !== null ? doc : {}) as { issuer?: unknown; jwks_uri?: unknown };
  if (typeof record.issuer === "string" && record.issuer.replace(/\/+$/, "") !== base) {
    throw new ProvidersError("credentials", `web identity token refused: discovery document at ${where} is for issuer ${record.issuer}`);
  }
  if (typeof record.jwks_uri !== "string") throw new ProvidersError("credentials", `web identity token refused: discovery document at ${where} has no jwks_uri`);
  return new URL(record.jwks_uri);
}
