import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudStore } from "../cloud/cloud-store.js";
import { GLOBAL_REGION } from "../cloud/cloud-file.js";
import { startTestIssuer, trustPolicyFor } from "../../../test/fixtures/oidc-issuer.js";
import type { TestIssuer } from "../../../test/fixtures/oidc-issuer.js";
import { resolveCredentials } from "./resolve-credentials.js";
import type { CredentialSettings } from "./resolve-credentials.js";

const account = "210987654321";
const roleArn = `arn:aws:iam::${account}:role/gantry-deployer`;
let issuer: TestIssuer;
let store: CloudStore;
let dir: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), "sim-cred-"));
  store = new CloudStore(dir);
  await store.put({ accountId: account, region: GLOBAL_REGION }, "aws_iam_role", "gantry-deployer", {
    name: "gantry-deployer",
    arn: roleArn,
    unique_id: "AROATESTROLE",
    assume_role_policy: trustPolicyFor(account, issuer.key, "space:root:stack:*"),
  });
});
afterAll(() => issuer.close());

const none: CredentialSettings = { staticCredentialSources: [], allowAnonymous: false };

async function withToken(token: string, extra: Partial<CredentialSettings> = {}) {
  const file = join(dir, `token-${Math.random()}`);
  await writeFile(file, `${token}\n`);
  return resolveCredentials({ ...none, roleArn, webIdentityTokenFile: file, sessionName: "run-1", ...extra }, store);
}

const good = { aud: "sts.amazonaws.com", sub: "space:root:stack:prod" };

describe("resolveCredentials", () => {
  it("accepts an RS256 token meeting the trust policy and returns the assumed role", async () => {
    const identity = await withToken(await issuer.sign(good));
    expect(identity).toEqual({ accountId: account, arn: `arn:aws:sts::${account}:assumed-role/gantry-deployer/run-1`, userId: "AROATESTROLE:run-1", source: "web-identity" });
  });

  it("accepts an ES256 token passed inline", async () => {
    const token = await issuer.sign(good, { alg: "ES256" });
    await expect(resolveCredentials({ ...none, roleArn, webIdentityToken: token }, store)).resolves.toMatchObject({ source: "web-identity" });
  });

  it.each([
    ["an expired token", () => issuer.sign(good, { expiresIn: Math.floor(Date.now() / 1000) - 60 }), /expired/],
    ["a token not valid yet", () => issuer.sign({ ...good, nbf: Math.floor(Date.now() / 1000) + 600 }), /claim nbf is invalid/],
    ["a token signed by another key", () => issuer.sign(good, { foreignKey: true }), /signature does not verify/],
    ["a subject outside the policy", () => issuer.sign({ ...good, sub: "space:dev:stack:x" }), /AccessDenied.*space:dev:stack:x/],
    ["another audience", () => issuer.sign({ ...good, aud: "something-else" }), /AccessDenied/],
    ["a token without aud", () => issuer.sign({ sub: good.sub }), /claim aud is invalid/],
    ["a token from an issuer without discovery", () => issuer.sign({ ...good, iss: "http://127.0.0.1:9/none" }), /OIDC discovery .* failed/],
    ["a token whose issuer is plain http off loopback", () => issuer.sign({ ...good, iss: "http://issuer.example.com" }), /must use https/],
    ["a tampered token", async () => {
      const [h, p, s] = (await issuer.sign(good)).split(".");
      const claims = JSON.parse(Buffer.from(p ?? "", "base64url").toString());
      claims.sub = "space:root:stack:other";
      return [h, Buffer.from(JSON.stringify(claims)).toString("base64url"), s].join(".");
    }, /signature does not verify/],
    ["not a JWT", async () => "hello", /not a JWT/],
  ])("refuses %s", async (_name, token, message) => {
    await expect(withToken(await token())).rejects.toThrow(message);
  });

  it("refuses a role that does not exist", async () => {
    await expect(withToken(await issuer.sign(good), { roleArn: `arn:aws:iam::${account}:role/nope` })).rejects.toThrow(/role does not exist/);
  });

  it("refuses static keys and no credentials unless anonymous runs are allowed", async () => {
    await expect(resolveCredentials({ ...none, staticCredentialSources: ["AWS_ACCESS_KEY_ID"] }, store)).rejects.toThrow(/static credentials refused \(AWS_ACCESS_KEY_ID\)/);
    await expect(resolveCredentials(none, store)).rejects.toThrow(/no credentials: .*AWS_SIM_ALLOW_ANONYMOUS=1/);
    await expect(resolveCredentials({ ...none, roleArn }, store)).rejects.toThrow(/incomplete web identity credentials/);
    await expect(resolveCredentials({ ...none, allowAnonymous: true, anonymousAccountId: "111122223333" }, store)).resolves.toMatchObject({ accountId: "111122223333", source: "anonymous" });
  });
});
