/** `gantry aws-integration ...` and `gantry admin rotate-oidc-key`: the real command against a real server. */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliOptions } from "./run-cli.js";
import { startTestServer, type TestServer } from "./server.js";

let t: TestServer;
let asAdmin: CliOptions;

beforeAll(async () => {
  t = await startTestServer();
  asAdmin = { env: { GANTRY_URL: t.url, GANTRY_API_KEY: t.adminKey, HOME: t.scratch, XDG_CONFIG_HOME: join(t.scratch, "xdg") }, cwd: t.scratch };
});
afterAll(async () => t?.stop());

const gantry = (args: string[]) => runCli(args, asAdmin);

describe("gantry aws-integration", () => {
  it("creates, shows, updates, attaches, detaches and deletes, saying what the server refused", async () => {
    await t.admin.call("createStack", { body: { id: "web", name: "web", repository: "/srv/infra.git" } });
    const created = await gantry(["aws-integration", "create", "--id", "deployer", "--name", "deployer", "--role-arn", "arn:aws:iam::123456789012:role/deployer", "--label", "autoattach:aws", "--generate-credentials-in-worker", "--region", "eu-west-1", "--external-id", "ext-42", "--duration-seconds", "900"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^credentials in worker:\s+yes$/m);
    expect(await t.admin.call("getAwsIntegration", { params: { id: "deployer" } })).toMatchObject({ roleArn: "arn:aws:iam::123456789012:role/deployer", labels: ["autoattach:aws"], generateCredentialsInWorker: true, region: "eu-west-1", externalId: "ext-42", durationSeconds: 900, audience: null });

    const updated = await gantry(["aws-integration", "update", "deployer", "--no-generate-credentials-in-worker", "--external-id", "none", "--audience", "sts.amazonaws.com"]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(await t.admin.call("getAwsIntegration", { params: { id: "deployer" } })).toMatchObject({ generateCredentialsInWorker: false, externalId: null, audience: "sts.amazonaws.com", region: "eu-west-1" });

    const listed = await gantry(["aws-integration", "list", "-o", "json"]);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: "deployer" })]);

    const attached = await gantry(["aws-integration", "attach", "deployer", "web", "--no-read"]);
    expect(attached.code, attached.stderr).toBe(0);
    expect((await t.admin.call("listStackAttachments", { params: { id: "web" } })).items).toEqual([expect.objectContaining({ kind: "aws_integration", entityId: "deployer", read: false, write: true })]);
    expect((await gantry(["aws-integration", "detach", "deployer", "web"])).code).toBe(0);
    expect((await t.admin.call("listStackAttachments", { params: { id: "web" } })).items).toEqual([]);

    const bad = await gantry(["aws-integration", "update", "deployer", "--region", "Mars"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/region/);
    expect(bad.stderr).toMatch(/must be an AWS region name such as us-east-1/);

    expect((await gantry(["aws-integration", "delete", "deployer"])).code).toBe(0);
    expect((await gantry(["aws-integration", "show", "deployer"])).stderr).toMatch(/not found|does not exist/i);
  }, 180_000);
});

describe("gantry admin rotate-oidc-key", () => {
  it("rotates the signing keys and lists the old ones as still published", async () => {
    const before = (await t.admin.call("listOidcKeys", {})).items.map((k) => k.kid);
    const rotated = await gantry(["admin", "rotate-oidc-key", "-o", "json"]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const keys = JSON.parse(rotated.stdout) as { kid: string; retiredAt: string | null }[];
    expect(keys.filter((k) => k.retiredAt !== null).map((k) => k.kid).sort()).toEqual(before.sort());
    expect(keys.filter((k) => k.retiredAt === null)).toHaveLength(2);
    const listed = await gantry(["admin", "oidc-keys"]);
    expect(listed.stdout).toContain(keys[0]!.kid);
    const revoked = await gantry(["admin", "rotate-oidc-key", "--overlap-seconds", "0", "-o", "json"]);
    expect((JSON.parse(revoked.stdout) as unknown[]).length).toBe(2);
  }, 180_000);
});
