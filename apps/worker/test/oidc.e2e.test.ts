/**
 * The seed's zero-static-keys flow with the real terraform, anonymous access off everywhere:
 * an administrative stack creates the deployer role (its trust policy names Gantry's issuer and
 * audience) in the simulated cloud, the AWS integrations with `autoattach:` labels and the
 * service stacks; the service stacks then apply simulated AWS resources with credentials from
 * their run tokens, in both modes (the run assumes the role; the worker assumes it through the
 * simulated STS). Then every refusal the issue names, each with the simulator's reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunDetail } from "@gantry/contract";
import { CloudStore, GLOBAL_REGION, startSimulatedSts, type SimulatedSts } from "@gantry/providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpTable, failure, startTestServer, type TestServer } from "../../server/test/harness.js";
import { startWorker, type RunningWorker } from "../src/index.js";
import { makeRepo, runLog, waitForRun, type Repo } from "./fixtures.js";
import { buildShippedMirror } from "./shipped-providers.js";
import { startVaultStandIn, type VaultStandIn } from "./vault-jwt-standin.js";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}/;

let t: TestServer;
let worker: RunningWorker;
let sts: SimulatedSts;
let mirror: string;
let simDir: string;
let issuerKey: string;
let audience: string;
let cloud: CloudStore;
let admin: Repo;
let service: Repo;
const logs: string[] = [];

function trustPolicy(sub: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuerKey}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${issuerKey}:aud`]: audience }, StringLike: { [`${issuerKey}:sub`]: sub } },
    }],
  });
}

/** A role created out of band (the account's bootstrap, or a role for a refusal case). */
async function seedRole(name: string, sub: string): Promise<string> {
  const arn = `arn:aws:iam::${ACCOUNT}:role/${name}`;
  await cloud.put({ accountId: ACCOUNT, region: GLOBAL_REGION }, "aws_iam_role", name, { name, arn, unique_id: `AROA${name.toUpperCase().replace(/[^A-Z]/g, "")}`, max_session_duration: 3600, assume_role_policy: trustPolicy(sub) });
  return arn;
}

const providerBlock = () => `provider "aws" {\n  sim_dir = ${JSON.stringify(simDir)}\n}\n`;

const serviceCode = () => `
terraform {
  required_providers {
    aws = { source = "gantry.dev/sim/aws" }
  }
}
${providerBlock()}
variable "gantry_stack_id" {}
data "aws_caller_identity" "me" {}
resource "aws_s3_bucket" "assets" {
  bucket = "gantry-\${var.gantry_stack_id}"
}
output "caller" { value = data.aws_caller_identity.me.arn }
`;

const adminCode = () => `
terraform {
  required_providers {
    gantry = { source = "gantry.dev/gantry/gantry" }
    aws    = { source = "gantry.dev/sim/aws" }
  }
}
${providerBlock()}
resource "aws_iam_role" "deployer" {
  name               = "deployer"
  assume_role_policy = ${JSON.stringify(trustPolicy("space:root:stack:svc-*:run_type:*:scope:*"))}
}
resource "gantry_aws_integration" "deployer" {
  slug     = "deployer"
  name     = "deployer"
  role_arn = aws_iam_role.deployer.arn
  region   = "${REGION}"
  labels   = ["autoattach:aws"]
}
resource "gantry_aws_integration" "deployer_in_worker" {
  slug                           = "deployer-in-worker"
  name                           = "deployer in worker"
  role_arn                       = aws_iam_role.deployer.arn
  region                         = "${REGION}"
  generate_credentials_in_worker = true
  duration_seconds               = 900
  labels                         = ["autoattach:aws-worker"]
}
resource "gantry_stack" "role_mode" {
  slug       = "svc-role"
  name       = "svc role"
  repository = ${JSON.stringify(service.path)}
  labels     = ["aws"]
  autodeploy = true
}
resource "gantry_stack" "worker_mode" {
  slug       = "svc-worker"
  name       = "svc worker"
  repository = ${JSON.stringify(service.path)}
  labels     = ["aws-worker"]
  autodeploy = true
}
`;

async function finished(id: string, state: RunDetail["state"] = "FINISHED"): Promise<{ run: RunDetail; log: string }> {
  const run = await waitForRun(t.admin, id, undefined, 120_000);
  const log = await runLog(t.admin, id);
  logs.push(log);
  expect(run.state, `${run.failureReason}\n${log}`).toBe(state);
  return { run, log };
}

const trigger = async (stackId: string, type: "TRACKED" | "PROPOSED" = "TRACKED") => (await t.admin.call("createRun", { params: { id: stackId }, body: { type } })).id;

beforeAll(async () => {
  mirror = await buildShippedMirror();
  simDir = mkdtempSync(join(tmpdir(), "gantry-oidc-sim-"));
  cloud = new CloudStore(simDir);
  sts = await startSimulatedSts(cloud);
  t = await startTestServer("sqlite");
  issuerKey = t.url.replace(/^http:\/\//, "");
  audience = "127.0.0.1";
  service = makeRepo({ "main.tf": serviceCode() });
  admin = makeRepo({ "main.tf": adminCode() });
  worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: mkdtempSync(join(tmpdir(), "gantry-oidc-worker-")), claimWaitMs: 5000, providerMirror: mirror, awsStsEndpoint: sts.url });
  await worker.ready;
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await t?.stop();
  await sts?.close();
  if (simDir) rmSync(simDir, { recursive: true, force: true });
});

describe("zero static keys: the seed's flow with the real terraform", () => {
  it("an administrative stack creates the role, the integrations and the service stacks with its own role", async () => {
    // The account's bootstrap: one role for the platform stack, made out of band as on day one.
    const bootstrapArn = await seedRole("platform-bootstrap", "space:root:stack:platform:run_type:TRACKED:scope:write");
    await t.admin.call("createStack", { body: { id: "platform", name: "platform", repository: admin.path, administrative: true, autodeploy: true } });
    await t.admin.call("createAwsIntegration", { body: { id: "bootstrap", name: "bootstrap", roleArn: bootstrapArn, region: REGION } });
    await t.admin.call("attachAwsIntegration", { params: { id: "platform", entityId: "bootstrap" }, body: { read: false, write: true } });
    const { log } = await finished(await trigger("platform"));
    expect(log).toContain("AWS integration bootstrap (write scope, role arn:aws:iam::123456789012:role/platform-bootstrap)");
    expect(log).toContain("Apply complete! Resources: 5 added");
    const role = await cloud.get({ accountId: ACCOUNT, region: GLOBAL_REGION }, "aws_iam_role", "deployer");
    expect(String(role?.["assume_role_policy"])).toContain(`oidc-provider/${issuerKey}`);
    const explained = await t.admin.call("explainStack", { params: { id: "svc-role" } });
    expect(explained.integrations.map((i) => [i.id, i.reasons[0]])).toEqual([["deployer", { kind: "label", label: "autoattach:aws", stackLabel: "aws" }]]);
    // No context or stack holds a static key: only AWS_SIM-free, key-free configuration exists.
    expect(await dumpTable(t, "config_elements")).toBe("[]");
  }, 180_000);

  it("mode 1: the run assumes the role itself (AWS_ROLE_ARN + token file), with its token in the environment, masked", async () => {
    await t.admin.call("updateStack", {
      params: { id: "svc-role" },
      body: {
        hooks: {
          beforePlan: [
            'echo "token=$GANTRY_OIDC_TOKEN"',
            '[ "$(cat "$GANTRY_OIDC_TOKEN_FILE")" = "$SPACELIFT_OIDC_TOKEN" ] && [ "$SPACELIFT_OIDC_TOKEN" = "$GANTRY_OIDC_TOKEN" ] && [ "$AWS_WEB_IDENTITY_TOKEN_FILE" = "$GANTRY_OIDC_TOKEN_FILE" ] && echo same-token-everywhere',
            "node -e 'console.log(\"claims=\" + Buffer.from(process.env.GANTRY_OIDC_TOKEN.split(\".\")[1], \"base64url\").toString())'",
            'echo "role=$AWS_ROLE_ARN session=$AWS_ROLE_SESSION_NAME region=$AWS_REGION keys=${AWS_ACCESS_KEY_ID:-none}"',
          ],
        },
      },
    });
    const id = await trigger("svc-role");
    const { log } = await finished(id);
    expect(log).toContain("token=*****");
    expect(log).toContain("same-token-everywhere");
    expect(log).toContain(`role=arn:aws:iam::${ACCOUNT}:role/deployer session=${id} region=${REGION} keys=none`);
    const claims = JSON.parse(/claims=(\{.*\})/.exec(log)![1]!) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: t.url, aud: audience, sub: "space:root:stack:svc-role:run_type:TRACKED:scope:write", spaceId: "root", callerType: "stack", callerId: "svc-role", runType: "TRACKED", runId: id, scope: "write" });
    expect(Number(claims["exp"]) - Number(claims["iat"])).toBe(3600);
    expect(claims["nbf"]).toBe(claims["iat"]);
    expect(claims["jti"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(log).toContain(`caller = "arn:aws:sts::${ACCOUNT}:assumed-role/deployer/${id}"`);
    expect(await cloud.get({ accountId: ACCOUNT, region: REGION }, "aws_s3_bucket", "gantry-svc-role")).not.toBeNull();
  }, 120_000);

  it("mode 2: the worker assumes the role at the simulated STS and hands the run temporary keys, masked", async () => {
    await t.admin.call("updateStack", { params: { id: "svc-worker" }, body: { hooks: { beforePlan: ['echo "key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY session=$AWS_SESSION_TOKEN role=${AWS_ROLE_ARN:-none}"'] } } });
    const id = await trigger("svc-worker");
    const { log } = await finished(id);
    expect(log).toMatch(/the worker assumed the role at http:\/\/127\.0\.0\.1:\d+; temporary keys expire at/);
    expect(log).toContain("key=***** secret=***** session=***** role=none");
    expect(log).not.toMatch(/ASIA[A-Z2-7]{16}/);
    expect(log).toContain(`caller = "arn:aws:sts::${ACCOUNT}:assumed-role/deployer/${id}"`);
    expect(await cloud.get({ accountId: ACCOUNT, region: REGION }, "aws_s3_bucket", "gantry-svc-worker")).not.toBeNull();
  }, 120_000);
});

describe("refusals, each with the simulator's reason in the run log", () => {
  it("a token for stack A is refused by a role that trusts only stack B's sub", async () => {
    const arn = await seedRole("only-b", "space:root:stack:svc-b:run_type:*:scope:*");
    await t.admin.call("createAwsIntegration", { body: { id: "only-b", name: "only b", roleArn: arn, region: REGION } });
    await t.admin.call("createStack", { body: { id: "svc-a", name: "svc a", repository: service.path } });
    await t.admin.call("attachAwsIntegration", { params: { id: "svc-a", entityId: "only-b" }, body: {} });
    const { log } = await finished(await trigger("svc-a", "PROPOSED"), "FAILED");
    expect(log.replace(/\s+/g, " ")).toMatch(/assuming arn:aws:iam::123456789012:role\/only-b refused \(AccessDenied\): the token's claims \(aud "127\.0\.0\.1", sub "space:root:stack:svc-a:run_type:PROPOSED:scope:read"\) do not meet the conditions/);
  }, 120_000);

  it("a proposed run is refused write-scope credentials, while a tracked run of the same stack gets them", async () => {
    const arn = await seedRole("writer", "space:root:stack:svc-c:run_type:*:scope:write");
    await t.admin.call("createAwsIntegration", { body: { id: "writer", name: "writer", roleArn: arn, region: REGION, generateCredentialsInWorker: true, durationSeconds: 900 } });
    await t.admin.call("createStack", { body: { id: "svc-c", name: "svc c", repository: service.path, autodeploy: true } });
    await t.admin.call("attachAwsIntegration", { params: { id: "svc-c", entityId: "writer" }, body: {} });
    const proposed = await finished(await trigger("svc-c", "PROPOSED"), "FAILED");
    expect(proposed.log.replace(/\s+/g, " ")).toMatch(/refused by STS \(AccessDenied\): assuming arn:aws:iam::123456789012:role\/writer refused \(AccessDenied\): .*scope:read/);
    await finished(await trigger("svc-c", "TRACKED"));
  }, 180_000);

  it("a token signed by a key rotated out past its overlap is refused", async () => {
    const gate = join(mkdtempSync(join(tmpdir(), "gantry-gate-")), "go");
    await t.admin.call("createStack", {
      body: { id: "svc-rotated", name: "svc rotated", repository: service.path, labels: ["aws"], hooks: { beforePlan: [`while [ ! -f ${gate} ]; do sleep 0.1; done`] } },
    });
    const id = await trigger("svc-rotated", "PROPOSED");
    await waitForRun(t.admin, id, ["PLANNING"], 120_000);
    await t.admin.call("rotateOidcKeys", { body: { overlapSeconds: 0 } });
    writeFileSync(gate, "");
    const { log } = await finished(id, "FAILED");
    expect(log.replace(/\s+/g, " ")).toMatch(/web identity token refused \(InvalidIdentityToken\): no key in the issuer's JWKS matches the token's kid/);
    // Runs started after the rotation get tokens from the new key and work again (the gate is open now).
    await finished(await trigger("svc-rotated", "PROPOSED"));
  }, 180_000);

  it("a stack in another space cannot attach the integration, and the label does not reach it", async () => {
    await t.admin.call("createSpace", { body: { id: "elsewhere", name: "elsewhere", parentSpaceId: "root", inheritEntities: false } });
    await t.admin.call("createStack", { body: { id: "svc-elsewhere", name: "svc elsewhere", spaceId: "elsewhere", repository: service.path, labels: ["aws"] } });
    const refused = await failure(t.admin.call("attachAwsIntegration", { params: { id: "svc-elsewhere", entityId: "deployer" }, body: {} }));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain("AWS integration deployer is in space root, which stack svc-elsewhere (space elsewhere) cannot reach");
    expect((await t.admin.call("explainStack", { params: { id: "svc-elsewhere" } })).integrations).toEqual([]);
    await t.admin.call("putStackVariable", { params: { id: "svc-elsewhere", name: "AWS_REGION" }, body: { value: REGION } });
    const { log } = await finished(await trigger("svc-elsewhere", "PROPOSED"), "FAILED");
    expect(log.replace(/\s+/g, " ")).toMatch(/no credentials: the simulator accepts only web identity credentials/);
  }, 120_000);

  it("a token is usable with a Vault-style JWT login that fetches the JWKS over HTTP; wrong audience or subject is refused", async () => {
    const vault: VaultStandIn = await startVaultStandIn(t.url, {
      deploy: { bound_audiences: [audience], bound_claims: { sub: "space:root:stack:svc-vault:*" }, user_claim: "sub" },
      "other-aud": { bound_audiences: ["vault.example.com"], bound_claims: {}, user_claim: "sub" },
      "other-stack": { bound_audiences: [audience], bound_claims: { sub: "space:root:stack:billing:*" }, user_claim: "sub" },
    });
    try {
      const login = (role: string) => `node -e 'fetch("${vault.url}/v1/auth/jwt/login",{method:"POST",body:JSON.stringify({role:"${role}",jwt:process.env.GANTRY_OIDC_TOKEN})}).then(async r=>console.log("vault ${role}: "+r.status+" "+JSON.stringify((await r.json()).errors??"ok")))'`;
      await t.admin.call("createStack", { body: { id: "svc-vault", name: "svc vault", repository: makeRepo({ "main.tf": "" }).path, hooks: { beforeInit: [login("deploy"), login("other-aud"), login("other-stack")] } } });
      const id = await trigger("svc-vault", "PROPOSED");
      const { log } = await finished(id);
      expect(log).toContain('vault deploy: 200 "ok"');
      expect(log).toContain('vault other-aud: 400 ["error validating token: invalid audience (aud) claim: audience claim does not match any expected audience"]');
      expect(log).toContain('vault other-stack: 400 ["error validating claims: claim \\"sub\\" does not match any associated bound claim values"]');
      expect(vault.logins).toHaveLength(1);
      expect(vault.logins[0]!.claims).toMatchObject({ sub: "space:root:stack:svc-vault:run_type:PROPOSED:scope:read", runId: id });
    } finally {
      await vault.close();
    }
  }, 120_000);

  it("an expired token is refused", async () => {
    // A server whose tokens live 5 s, and a run that waits past that before terraform reads the token.
    const short = await startTestServer("sqlite", { settings: { oidcTokenTtlSeconds: 5 } });
    const shortWorker = startWorker({ serverUrl: short.url, token: await short.server.mintWorkerToken(), workDir: mkdtempSync(join(tmpdir(), "gantry-oidc-worker-")), claimWaitMs: 5000, providerMirror: mirror });
    try {
      await shortWorker.ready;
      const shortKey = short.url.replace(/^http:\/\//, "");
      const arn = await seedRole("patient", "space:root:stack:*");
      // The role trusts this server's issuer too.
      const role = (await cloud.get({ accountId: ACCOUNT, region: GLOBAL_REGION }, "aws_iam_role", "patient"))!;
      await cloud.put({ accountId: ACCOUNT, region: GLOBAL_REGION }, "aws_iam_role", "patient", { ...role, assume_role_policy: String(role["assume_role_policy"]).split(issuerKey).join(shortKey) });
      await short.admin.call("createAwsIntegration", { body: { id: "patient", name: "patient", roleArn: arn, region: REGION } });
      await short.admin.call("createStack", { body: { id: "svc-slow", name: "svc slow", repository: service.path, hooks: { beforePlan: ["sleep 7"] } } });
      await short.admin.call("attachAwsIntegration", { params: { id: "svc-slow", entityId: "patient" }, body: {} });
      const id = (await short.admin.call("createRun", { params: { id: "svc-slow" }, body: { type: "PROPOSED" } })).id;
      const run = await waitForRun(short.admin, id, undefined, 120_000);
      const log = await runLog(short.admin, id);
      logs.push(log);
      expect(run.state, log).toBe("FAILED");
      expect(log.replace(/\s+/g, " ")).toMatch(/web identity token refused \(ExpiredTokenException\): the token has expired/);
    } finally {
      await shortWorker.stop();
      await short.stop();
    }
  }, 120_000);

  it("no credential appears in any run log, API answer, the audit trail or the database", async () => {
    const everything = [
      ...logs,
      JSON.stringify(await t.admin.call("listAuditEvents", { query: { limit: 1000 } })),
      JSON.stringify(await t.admin.call("listAwsIntegrations", {})),
      ...(await Promise.all(["runs", "run_logs", "audit_events", "aws_integrations", "oidc_keys"].map((table) => dumpTable(t, table).catch(() => "")))),
    ].join("\n");
    expect(everything).not.toMatch(JWT);
    expect(everything).not.toMatch(/ASIA[A-Z2-7]{16}/);
    expect(everything).not.toMatch(/GSIMv1\./);
    expect(everything).not.toMatch(/BEGIN PRIVATE KEY/);
  });
});
