/**
 * OIDC web identity credentials end to end: real terraform, the built provider, a local OIDC
 * issuer (discovery + JWKS over HTTP) and a role whose trust policy lives in the simulated cloud.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudStore } from "../../src/aws/cloud/cloud-store.js";
import { GLOBAL_REGION } from "../../src/aws/cloud/cloud-file.js";
import { startTestIssuer, trustPolicyFor } from "../fixtures/oidc-issuer.js";
import type { TestIssuer } from "../fixtures/oidc-issuer.js";
import { buildSimulatorMirror, Workspace } from "./terraform-harness.js";

const ACCOUNT = "210987654321";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/gantry-deployer`;
const CONFIG = `provider "aws" {\n  region = "eu-west-1"\n}\ndata "aws_caller_identity" "me" {}\noutput "arn" { value = data.aws_caller_identity.me.arn }\noutput "account" { value = data.aws_caller_identity.me.account_id }\n`;

let issuer: TestIssuer;
let ws: Workspace;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const { mirrorDir } = await buildSimulatorMirror();
  ws = await Workspace.create(mirrorDir);
  await ws.writeConfig(CONFIG);
  await ws.ok(["init"]);
  await new CloudStore(ws.simDir).put({ accountId: ACCOUNT, region: GLOBAL_REGION }, "aws_iam_role", "gantry-deployer", {
    name: "gantry-deployer",
    arn: ROLE_ARN,
    unique_id: "AROAE2ETESTROLE",
    assume_role_policy: trustPolicyFor(ACCOUNT, issuer.key, "space:root:stack:*"),
  });
}, 120_000);
afterAll(() => issuer?.close());

async function tokenFile(token: string): Promise<string> {
  const file = join(ws.dir, `token-${Math.random().toString(36).slice(2)}.jwt`);
  await writeFile(file, token);
  return file;
}

describe("web identity credentials through real terraform", () => {
  it("assumes the role with a token the trust policy accepts", async () => {
    const file = await tokenFile(await issuer.sign({ aud: "sts.amazonaws.com", sub: "space:root:stack:payments" }));
    const env = { AWS_ROLE_ARN: ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE: file, AWS_ROLE_SESSION_NAME: "run-01" };
    await ws.ok(["apply", "-auto-approve"], env);
    expect((await ws.ok(["output", "-raw", "arn"], env)).stdout).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/gantry-deployer/run-01`);
    expect((await ws.ok(["output", "-raw", "account"], env)).stdout).toBe(ACCOUNT);
  }, 60_000);

  it("accepts the token through the provider's assume_role_with_web_identity block", async () => {
    const file = await tokenFile(await issuer.sign({ aud: "sts.amazonaws.com", sub: "space:root:stack:x" }, { alg: "ES256" }));
    await ws.writeConfig(CONFIG.replace(`region = "eu-west-1"`, `region = "eu-west-1"\n  assume_role_with_web_identity {\n    role_arn                = "${ROLE_ARN}"\n    session_name            = "block"\n    web_identity_token_file = "${file}"\n  }`));
    try {
      await ws.ok(["apply", "-auto-approve"]);
      expect((await ws.ok(["output", "-raw", "arn"])).stdout).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/gantry-deployer/block`);
    } finally {
      await ws.writeConfig(CONFIG);
    }
  }, 60_000);

  it.each([
    ["a subject the trust policy does not allow", { sub: "space:dev:stack:x" }, {}, /AccessDenied.*space:dev:stack:x/],
    ["an expired token", { sub: "space:root:stack:x" }, { expiresIn: Math.floor(Date.now() / 1000) - 30 }, /has expired/],
    ["a token signed with a key not in the JWKS", { sub: "space:root:stack:x" }, { foreignKey: true }, /signature does not verify/],
  ])("refuses %s", async (_name, claims, options, message) => {
    const file = await tokenFile(await issuer.sign({ aud: "sts.amazonaws.com", ...claims }, options));
    const result = await ws.run(["plan"], { AWS_ROLE_ARN: ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE: file });
    expect(result.code).toBe(1);
    expect(result.stderr.replace(/\s+/g, " ")).toMatch(message);
  }, 60_000);

  it("refuses static keys and missing credentials unless AWS_SIM_ALLOW_ANONYMOUS=1", async () => {
    const keys = await ws.run(["plan"], { AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" });
    expect(keys.code).toBe(1);
    expect(keys.stderr.replace(/\s+/g, " ")).toMatch(/static credentials refused \(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY\)/);
    const none = await ws.run(["plan"]);
    expect(none.code).toBe(1);
    expect(none.stderr.replace(/\s+/g, " ")).toMatch(/no credentials: the simulator accepts only web identity credentials/);
    const anonymous = await ws.run(["plan"], { AWS_SIM_ALLOW_ANONYMOUS: "1" });
    expect(anonymous.code).toBe(0);
    expect(anonymous.stdout).toMatch(/arn:aws:iam::123456789012:user\/gantry-sim-anonymous/);
  }, 60_000);
});
