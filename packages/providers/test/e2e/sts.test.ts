/**
 * The simulated STS: AssumeRoleWithWebIdentity over the AWS query API (form POST, XML answer)
 * against the simulated cloud, verified like the provider verifies tokens (discovery and JWKS
 * over HTTP from a real local issuer), and the temporary keys it issues accepted by the
 * provider's credential check, and nothing else.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudStore } from "../../src/aws/cloud/cloud-store.js";
import { GLOBAL_REGION } from "../../src/aws/cloud/cloud-file.js";
import { resolveCredentials } from "../../src/aws/credentials/resolve-credentials.js";
import { startSimulatedSts, type SimulatedSts } from "../../src/aws/sts/sts-server.js";
import { startTestIssuer, trustPolicyFor, type TestIssuer } from "../fixtures/oidc-issuer.js";

const ACCOUNT = "210987654321";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/deployer`;

let issuer: TestIssuer;
let store: CloudStore;
let sts: SimulatedSts;
let dir: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), "sim-sts-"));
  store = new CloudStore(dir);
  await store.put({ accountId: ACCOUNT, region: GLOBAL_REGION }, "aws_iam_role", "deployer", {
    name: "deployer", arn: ROLE_ARN, unique_id: "AROASTSTEST", max_session_duration: 3600,
    assume_role_policy: trustPolicyFor(ACCOUNT, issuer.key, "space:root:stack:*"),
  });
  sts = await startSimulatedSts(store);
});
afterAll(async () => {
  await sts?.close();
  await issuer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function assume(params: Record<string, string>): Promise<{ status: number; xml: string }> {
  const body = new URLSearchParams({ Action: "AssumeRoleWithWebIdentity", Version: "2011-06-15", RoleArn: ROLE_ARN, RoleSessionName: "run-01", ...params });
  const res = await fetch(sts.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  return { status: res.status, xml: await res.text() };
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? "";
const settings = { staticCredentialSources: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"], allowAnonymous: false };

describe("simulated STS AssumeRoleWithWebIdentity", () => {
  it("answers with temporary keys the provider then accepts as the assumed role, and only those", async () => {
    const token = await issuer.sign({ aud: "sts.amazonaws.com", sub: "space:root:stack:web" });
    const { status, xml } = await assume({ WebIdentityToken: token, DurationSeconds: "900" });
    expect(status, xml).toBe(200);
    expect(tag(xml, "Arn")).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deployer/run-01`);
    expect(tag(xml, "SubjectFromWebIdentityToken")).toBe("space:root:stack:web");
    expect(tag(xml, "AccessKeyId")).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Date.parse(tag(xml, "Expiration")) - Date.now()).toBeGreaterThan(890_000);
    expect(Date.parse(tag(xml, "Expiration")) - Date.now()).toBeLessThanOrEqual(900_000);
    const keys = { accessKeyId: tag(xml, "AccessKeyId"), secretAccessKey: tag(xml, "SecretAccessKey"), sessionToken: tag(xml, "SessionToken") };
    const identity = await resolveCredentials({ ...settings, sessionCredentials: keys }, store);
    expect(identity).toMatchObject({ accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/run-01` });
    // The simulated cloud keeps hashes only.
    const file = JSON.stringify(await store.read({ accountId: ACCOUNT, region: GLOBAL_REGION }));
    expect(file).not.toContain(keys.secretAccessKey);
    expect(file).not.toContain(keys.sessionToken);
    await expect(resolveCredentials({ ...settings, sessionCredentials: { ...keys, secretAccessKey: "x".repeat(40) } }, store)).rejects.toThrow(/never issued these keys/);
    await expect(resolveCredentials({ ...settings, sessionCredentials: { ...keys, sessionToken: "FwoGZXIvYXdzEStatic" } }, store)).rejects.toThrow(/not issued by the simulator's STS/);
  });

  it("refuses with STS's codes: AccessDenied, ExpiredTokenException, InvalidIdentityToken, ValidationError, MissingParameter", async () => {
    const cases: [string, Record<string, string>, number, string, RegExp][] = [
      ["foreign subject", { WebIdentityToken: await issuer.sign({ aud: "sts.amazonaws.com", sub: "space:dev:stack:x" }) }, 403, "AccessDenied", /do not meet the conditions/],
      ["expired token", { WebIdentityToken: await issuer.sign({ aud: "sts.amazonaws.com", sub: "space:root:stack:x" }, { expiresIn: Math.floor(Date.now() / 1000) - 30 }) }, 400, "ExpiredTokenException", /has expired/],
      ["foreign key", { WebIdentityToken: await issuer.sign({ aud: "sts.amazonaws.com", sub: "space:root:stack:x" }, { foreignKey: true }) }, 400, "InvalidIdentityToken", /signature does not verify/],
      ["too long a session", { WebIdentityToken: await issuer.sign({ aud: "sts.amazonaws.com", sub: "space:root:stack:x" }), DurationSeconds: "7200" }, 400, "ValidationError", /exceeds the MaxSessionDuration \(3600\)/],
      ["no token", {}, 400, "MissingParameter", /WebIdentityToken/],
    ];
    for (const [name, params, status, code, message] of cases) {
      const answer = await assume(params);
      expect(answer.status, name).toBe(status);
      expect(tag(answer.xml, "Code"), name).toBe(code);
      expect(tag(answer.xml, "Message"), name).toMatch(message);
    }
  });
});
