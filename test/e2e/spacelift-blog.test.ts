/**
 * Issue #21's acceptance: the seed blog's repository, committed as the blog shows it (HCL, YAML
 * and Rego verbatim, only the repository names pointed at local repositories), applied from ONE
 * Gantry administrative stack with the real worker and the real terraform. The management code
 * uses Spacelift's provider (`spacelift-io/spacelift`, `spacelift_*` resources, an empty
 * `provider "spacelift" {}` block): runs install Gantry's provider under that address from the
 * worker's mirror, offline. Everything is checked through Gantry's API.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { RunDetail } from "@gantry/contract";
import { buildProviderBinary, layoutMirror } from "@gantry/tfplugin/packaging";
import { startWorker, type RunningWorker } from "@gantry/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../apps/server/test/harness.js";
import { makeRepo, runLog, waitForRun, type Repo } from "../../apps/worker/test/fixtures.js";
import { layoutSpaceliftProvider } from "./terraform.js";

const root = join(import.meta.dirname, "..", "..");
const blog = join(import.meta.dirname, "fixtures", "spacelift-blog");
const RUN_WAIT_MS = 300_000;

/** The blog's files, path -> content. */
function blogFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== "README.md") out[relative(blog, p)] = readFileSync(p, "utf8");
    }
  };
  walk(blog);
  return out;
}

/** The blog's twelve registered modules (modules.tf), each a directory of the modules repository. */
const MODULES = ["vpc", "ecs", "rds", "aurora", "alb", "context", "vault", "nats", "clickhouse", "datadog-monitors", "datadog-dashboards", "datadog-synthetics"];

describe("the seed blog's Spacelift repository on Gantry", () => {
  let t: TestServer;
  let worker: RunningWorker;
  let infra: Repo;
  let modules: Repo;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gantry-spacelift-blog-"));
    const mirror = join(dir, "mirror");
    // The worker's mirror: Gantry's provider (administrative runs always get it), Spacelift's
    // address, and — standing in for the real hashicorp/aws an offline installation would mirror —
    // the AWS simulator under hashicorp/aws (the management code requires it but uses no aws_ resource).
    const gantry = join(dir, "bin", "terraform-provider-gantry");
    await buildProviderBinary({ entry: join(root, "packages/providers/src/gantry/main.ts"), outFile: gantry });
    await layoutMirror({ mirrorDir: mirror, host: "gantry.dev", namespace: "gantry", name: "gantry", version: "0.1.0", binary: gantry });
    await layoutSpaceliftProvider(mirror, join(dir, "bin"));
    const aws = join(dir, "bin", "terraform-provider-aws");
    await buildProviderBinary({ entry: join(root, "packages/providers/src/aws/main.ts"), outFile: aws });
    await layoutMirror({ mirrorDir: mirror, host: "registry.terraform.io", namespace: "hashicorp", name: "aws", version: "5.99.0", binary: aws });

    modules = makeRepo(Object.fromEntries(MODULES.map((m) => [`modules/${m}/main.tf`, `# ${m} module\nvariable "name" {\n  type    = string\n  default = "${m}"\n}\n`])));
    const files = blogFiles();
    // The only edits: Spacelift finds "infrastructure" and "terraform-modules" through its GitHub
    // app; Gantry reads repositories by URL or path.
    infra = makeRepo({ "README.md": "# infrastructure\n" });
    files["modules/spacelift-stack/main.tf"] = files["modules/spacelift-stack/main.tf"]!.replace('default = "infrastructure"', `default = ${JSON.stringify(infra.path)}`);
    files["spacelift/management/modules.tf"] = files["spacelift/management/modules.tf"]!.replaceAll('repository = "terraform-modules"', `repository = ${JSON.stringify(modules.path)}`);
    infra.commit(files, "the blog's repository");

    t = await startTestServer("sqlite");
    worker = startWorker({ serverUrl: t.url, token: await t.server.mintWorkerToken(), concurrency: 2, workDir: join(dir, "worker"), providerMirror: mirror, providerReattach: true, claimWaitMs: 5000 });
    await worker.ready;
  }, 180_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A tracked run of the management stack (what a push would start), to its end. */
  const manage = async (): Promise<{ run: RunDetail; log: string }> => {
    const created = await t.admin.call("createRun", { params: { id: "spacelift-management" }, body: { type: "TRACKED" } });
    const run = await waitForRun(t.admin, created.id, undefined, RUN_WAIT_MS);
    return { run, log: await runLog(t.admin, run.id) };
  };

  it("bootstraps from one administrative stack: spaces, stacks from every config.yaml, policies, contexts, the AWS integration and modules", async () => {
    await t.admin.call("createStack", { body: { id: "spacelift-management", name: "spacelift-management", repository: infra.path, branch: "main", projectRoot: "spacelift/management", administrative: true, autodeploy: true } });
    const first = await manage();
    // One of the blog's seven policies does not compile in OPA either (`_` bound only inside
    // `not`): the apply stops on it, with OPA's error on the policy's line, and creates the rest.
    expect(first.run.state, `${first.run.failureReason}\n${first.log}`).toBe("FAILED");
    expect(first.log).toContain("Installing spacelift-io/spacelift v1.53.5");
    expect(first.log).toContain("project-ownership.rego:38:1: rego_unsafe_var_error: var _ is unsafe");
    expect(first.log.match(/policy does not compile/g)).toHaveLength(1);
    // The blog's github_enterprise blocks: the repository is already a path, so the namespace is ignored, said in the plan.
    expect(first.log).toMatch(/Warning: spacelift_stack: github_enterprise.namespace is ignored by Gantry/);
    expect((await t.admin.call("listPolicies", { query: { limit: 500 } })).items.map((p) => p.name)).not.toContain("project-ownership");

    // The fix (docs/spacelift-provider.md): the same rule with the team test OPA accepts.
    const policy = "policies/access/project-ownership.rego";
    const fixed = readFileSync(join(infra.path, policy), "utf8").replace('not input.session.teams[_] == "github-platform-team"', 'count({t | t := input.session.teams[_]; t == "github-platform-team"}) == 0');
    infra.commit({ [policy]: fixed }, "project-ownership: a team test OPA compiles");
    const { run, log } = await manage();
    expect(run.state, `${run.failureReason}\n${log}`).toBe("FINISHED");
    expect(log).toMatch(/providers started once for this phase: .*registry\.terraform\.io\/spacelift-io\/spacelift/);

    // 7 spaces under root, as the blog's tree.
    const spaces = (await t.admin.call("listSpaces", { query: { limit: 500 } })).items;
    const byName = new Map(spaces.map((s) => [s.name, s]));
    for (const name of ["platform", "sandbox", "staging", "prod", "security"]) expect(byName.get(name), name).toMatchObject({ parentSpaceId: "root", inheritEntities: true });
    for (const name of ["audit", "log-archive"]) expect(byName.get(name)?.parentSpaceId, name).toBe(byName.get("security")!.id);

    // A stack for every config.yaml, in the space its environment maps to, with the AWS integration attached.
    const stacks = (await t.admin.call("listStacks", { query: { limit: 500 } })).items.filter((s) => s.id !== "spacelift-management");
    expect(stacks.map((s) => s.id).sort()).toEqual(["order-service-dev", "payments-api-dev", "payments-api-prod"]);
    const prod = await t.admin.call("getStack", { params: { id: "payments-api-prod" } });
    expect(prod).toMatchObject({ spaceId: byName.get("prod")!.id, repository: infra.path, projectRoot: "projects/payments-api/prod", terraformVersion: "1.7.0", autodeploy: false, enableLocalPreview: true });
    expect([...prod.labels].sort()).toEqual(["autoattach:aws", "autoattach:security-policies", "env:prod", "project:payments-api", "service:payments-api", "team:payments"]);
    expect((await t.admin.call("getStack", { params: { id: "payments-api-dev" } })).spaceId).toBe(byName.get("sandbox")!.id);

    // Seven policies (the blog's v0 Rego, unchanged), contexts and the AWS integration.
    const policies = (await t.admin.call("listPolicies", { query: { limit: 500 } })).items;
    expect(policies.map((p) => [p.name, p.type, p.regoVersion]).sort()).toEqual([
      ["cost-limit-warning", "PLAN", "V0"], ["enforce-required-tags", "PLAN", "V0"], ["module-change-trigger", "TRIGGER", "V0"], ["no-public-rds", "PLAN", "V0"],
      ["no-public-s3", "PLAN", "V0"], ["prod-requires-approval", "APPROVAL", "V0"], ["project-ownership", "ACCESS", "V0"],
    ]);
    const contexts = (await t.admin.call("listContexts", { query: { limit: 500 } })).items.map((c) => c.name).sort();
    expect(contexts).toEqual(["aws-common", "datadog-credentials", "env-prod", "env-sandbox", "env-staging"]);
    const integration = (await t.admin.call("listAwsIntegrations", { query: {} })).items;
    expect(integration).toMatchObject([{ name: "aws-main", roleArn: "arn:aws:iam::123456789012:role/spacelift-oidc", durationSeconds: 3600, generateCredentialsInWorker: false, labels: ["autoattach:aws"] }]);

    // What reaches the prod stack, and why: the AWS integration directly; the prod context by its
    // env label. The blog labels its stacks `autoattach:...`, which (in Spacelift too) matches
    // nothing: Gantry says so instead of attaching the seven policies silently or not at all.
    const explained = await t.admin.call("explainStack", { params: { id: "payments-api-prod" } });
    expect(explained.contexts.map((c) => [c.name, c.reasons[0]?.kind])).toEqual([["env-prod", "label"]]);
    expect(explained.hints?.map((h) => h.kind)).toContain("autoattach_label_on_stack");

    // The twelve modules, in the platform space, named by the github_enterprise namespace.
    const registered = (await t.admin.call("listModules", { query: { limit: 500 } })).items;
    expect(registered.map((m) => m.name).sort()).toEqual([...MODULES].sort());
    const vpc = registered.find((m) => m.name === "vpc")!;
    expect(vpc).toMatchObject({ spaceId: byName.get("platform")!.id, namespace: "your-org", terraformProvider: "aws", repository: modules.path, projectRoot: "modules/vpc" });
    expect(registered.find((m) => m.name === "datadog-monitors")!.terraformProvider).toBe("datadog");

    // Applying again changes nothing: Spacelift's names in state agree with what Gantry stores.
    const again = await manage();
    expect(again.run.state, `${again.run.failureReason}\n${again.log}`).toBe("FINISHED");
    expect(again.log).toContain("No changes.");
  }, 900_000);
});
