/**
 * The module registry through the API and terraform's registry protocol over HTTPS, on both
 * dialects: versions from git tags (at creation and by hand), immutability, yanking, the
 * changelog, bad input (unreadable repository, no .tf files, a link out of the module, an
 * archive over the limit), access (create needs write; a space that cannot read the module
 * gets the same 404 as for a module that does not exist) and signed archive links.
 */
import { gunzipSync } from "node:zlib";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type Repo } from "../../worker/test/fixtures.js";
import { dialects, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { registryGet } from "./registry-client.js";

const vpc = (cidr: string) => ({ "modules/vpc/main.tf": `variable "cidr" {\n  default = "${cidr}"\n}\noutput "cidr" {\n  value = var.cidr\n}\n` });

describe.each(dialects)("module registry (%s)", (dialect) => {
  let t: TestServer;
  let repo: Repo;
  let ca: string;
  let https: string;

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { httpsPort: 0, moduleArchiveMaxBytes: 64 * 1024, registryHostAliases: "spacelift.io" } });
    ca = t.server.registry.caCertificatePem!;
    https = t.server.httpsUrl!;
    repo = makeRepo({ "README.md": "modules\n", ...vpc("10.0.0.0/16") });
    repo.git("tag", "v2.0.0");
    repo.commit(vpc("10.1.0.0/16"), "wider default");
    repo.git("tag", "2.1.0");
    repo.git("tag", "release-candidate");
    repo.commit({ "modules/vpc/outputs.tf": "output \"v3\" {\n  value = true\n}\n" }, "breaking");
    repo.git("tag", "v3.0.0");
    await t.admin.call("createSpace", { body: { id: "platform", name: "platform" } });
    await t.admin.call("createSpace", { body: { id: "payments", name: "payments", inheritEntities: false } });
  });
  afterAll(() => t?.stop());

  it("publishes the semver tags on the branch at creation and shows the source address", async () => {
    const m = await t.admin.call("createModule", { body: { id: "vpc", name: "vpc", terraformProvider: "aws", namespace: "acme", repository: repo.path, projectRoot: "modules/vpc", spaceId: "platform" } });
    expect(m.source).toBe(`${t.server.registry.host}/acme/vpc/aws`);
    expect(m.source).toMatch(/^127\.0\.0\.1:\d+\/acme\/vpc\/aws$/);
    expect(m.latestVersion).toBe("3.0.0");
    const versions = (await t.admin.call("listModuleVersions", { params: { id: "vpc" } })).items;
    expect(versions.map((v) => [v.version, v.state, v.tag])).toEqual([["3.0.0", "ACTIVE", "v3.0.0"], ["2.1.0", "ACTIVE", "2.1.0"], ["2.0.0", "ACTIVE", "v2.0.0"]]);
    expect(versions[0]!.commit).toBe(repo.git("rev-parse", "v3.0.0"));
    expect(versions[0]!.changelog).toMatchObject({ previousVersion: "2.1.0", commits: [{ message: "breaking", author: "Ada" }], filesChanged: ["modules/vpc/outputs.tf"] });
    const audit = await t.admin.call("listAuditEvents", { query: { limit: 50 } });
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(["module.create", "module.version.publish"]));
  });

  it("publishes a tag by hand, refuses a changed version and skips one already published", async () => {
    repo.commit(vpc("10.2.0.0/16"), "v2.2 default");
    repo.git("tag", "v2.2.0");
    const r = await t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v2.2.0" } });
    expect(r.published.map((v) => v.version)).toEqual(["2.2.0"]);
    expect(r.published[0]!.changelog.previousVersion).toBe("2.1.0");
    expect((await t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v2.2.0" } })).skipped[0]!.reason).toContain("already published");
    repo.commit({ "modules/vpc/extra.tf": "" }, "retag");
    repo.git("tag", "-f", "v2.2.0");
    const changed = await failure(t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v2.2.0" } }));
    expect(changed.status).toBe(409);
    expect(changed.message).toContain("published versions never change");
    repo.git("tag", "-f", "v2.2.0", "HEAD~1");
    const notSemver = await failure(t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "release-candidate" } }));
    expect(notSemver.status).toBe(422);
    expect(notSemver.message).toContain("is not a semver tag");
  });

  it("takes the version from the module's config file for a non-tag ref; its test cases queue TESTING runs and hold it back until they pass", async () => {
    repo.commit({ "modules/vpc/.spacelift/config.yml": "version: 1\nmodule_version: 2.3.0\ntest_defaults:\n  environment:\n    TF_VAR_region: eu-west-1\ntests:\n  - name: default\n    project_root: examples/default\n" }, "config version");
    const r = await t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "main" } });
    expect(r.published.map((v) => [v.version, v.tag, v.state])).toEqual([["2.3.0", null, "PENDING"]]);
    expect(r.warnings).toEqual(['version 2.3.0 is not offered until its 1 test case from modules/vpc/.spacelift/config.yml pass (TESTING runs of stack "module:vpc"); its consumers and TRIGGER policies react when they do (the version\'s impact)']);
    const test = r.published[0]!.tests[0]!;
    expect(test).toMatchObject({ name: "default", projectRoot: "modules/vpc/examples/default", negative: false, outcome: "PENDING" });
    // The test run is a TESTING run of the module's host stack at the version's commit, on its worker pool.
    const run = await t.admin.call("getRun", { params: { id: test.runId! } });
    expect(run).toMatchObject({ type: "TESTING", stackId: "module:vpc", commit: { sha: repo.git("rev-parse", "HEAD") } });
    // The host is the module's, not a stack of its own: not listed, and runs only tests.
    expect((await t.admin.call("listStacks", { query: {} })).items.map((s) => s.id)).not.toContain("module:vpc");
    const direct = await failure(t.admin.call("createRun", { params: { id: "module:vpc" }, body: { type: "TRACKED" } }));
    expect(direct.status).toBe(409);
    expect(direct.message).toContain("runs the tests of module");
    const restore = await failure(t.admin.call("updateModuleVersion", { params: { id: "vpc", version: "2.3.0" }, body: { state: "ACTIVE" } }));
    expect(restore.message).toContain("still being tested");
  });

  it("attaches contexts and the policy types it evaluates for modules, refusing the others", async () => {
    await t.admin.call("createContext", { body: { id: "vpc-ctx", name: "vpc-ctx", spaceId: "platform" } });
    await t.admin.call("createPolicy", { body: { id: "vpc-plan", name: "vpc-plan", spaceId: "platform", type: "PLAN", body: "package spacelift" } });
    await t.admin.call("createPolicy", { body: { id: "vpc-push", name: "vpc-push", spaceId: "platform", type: "GIT_PUSH", body: "package spacelift" } });
    await t.admin.call("attachModuleContext", { params: { id: "vpc", entityId: "vpc-ctx" }, body: { priority: 3 } });
    await t.admin.call("attachModulePolicy", { params: { id: "vpc", entityId: "vpc-plan" } });
    const push = await failure(t.admin.call("attachModulePolicy", { params: { id: "vpc", entityId: "vpc-push" } }));
    expect(push.status).toBe(409);
    expect(push.message).toBe("GIT_PUSH policies are not evaluated for modules: a module takes PLAN, APPROVAL, INITIALIZATION, TRIGGER, NOTIFICATION policies (its test runs, TRIGGER when a version becomes ACTIVE, NOTIFICATION for its events)");
    await t.admin.call("createPolicy", { body: { id: "vpc-login", name: "vpc-login", spaceId: "root", type: "LOGIN", body: "package spacelift" } });
    const login = await failure(t.admin.call("attachModulePolicy", { params: { id: "vpc", entityId: "vpc-login" } }));
    expect([login.status, login.message]).toEqual([409, "login policies apply to the whole instance; they are not attached to modules"]);
    await t.admin.call("deletePolicy", { params: { id: "vpc-login" } });
    const listed = await t.admin.call("listModuleAttachments", { params: { id: "vpc" } });
    expect(listed.items.map((a) => [a.kind, a.entityId, a.priority])).toEqual([["context", "vpc-ctx", 3], ["policy", "vpc-plan", 0]]);
    await t.admin.call("detachModulePolicy", { params: { id: "vpc", entityId: "vpc-plan" } });
    await t.admin.call("detachModuleContext", { params: { id: "vpc", entityId: "vpc-ctx" } });
    expect((await t.admin.call("listModuleAttachments", { params: { id: "vpc" } })).items).toEqual([]);
  });

  it("counts a module as a module in space and worker pool refusals; its explain leaves out GIT_PUSH and TASK policies", async () => {
    await t.admin.call("createSpace", { body: { id: "lonely-space", name: "lonely-space" } });
    await t.admin.call("createWorkerPool", { body: { id: "lonely-pool", name: "lonely-pool", spaceId: "lonely-space" } });
    await t.admin.call("createModule", { body: { id: "lonely", name: "lonely", terraformProvider: "aws", repository: repo.path, projectRoot: "modules/vpc", spaceId: "lonely-space", labels: ["lonely"], workerPoolId: "lonely-pool" } });
    const space = await failure(t.admin.call("deleteSpace", { params: { id: "lonely-space" } }));
    expect([space.status, space.message]).toEqual([409, 'space "lonely-space" is not empty (1 module(s)): move or delete them first']);
    const usedPool = await failure(t.admin.call("deleteWorkerPool", { params: { id: "lonely-pool" } }));
    expect([usedPool.status, usedPool.message]).toEqual([409, `worker pool "lonely-pool" runs the tests of module lonely: set the module's workerPoolId to another pool first`]);

    // Auto-attached by the module's label: PLAN and NOTIFICATION apply to a module, GIT_PUSH and TASK are never evaluated for one.
    for (const type of ["PLAN", "NOTIFICATION", "GIT_PUSH", "TASK"] as const) {
      await t.admin.call("createPolicy", { body: { id: `lonely-${type.toLowerCase()}`, name: `lonely-${type}`, spaceId: "lonely-space", type, labels: ["autoattach:lonely"], body: "package spacelift" } });
    }
    const explained = await t.admin.call("explainStack", { params: { id: "module:lonely" } });
    expect(explained.policies.map((p) => [p.id, p.type]).sort()).toEqual([["lonely-notification", "NOTIFICATION"], ["lonely-plan", "PLAN"]]);
    expect(explained.hints ?? []).toEqual([]);
    // A stack with the same label sees all four (the filter is the module's, not the label's).
    await t.admin.call("createStack", { body: { id: "lonely-stack", name: "lonely-stack", spaceId: "lonely-space", repository: repo.path, labels: ["lonely"] } });
    expect((await t.admin.call("explainStack", { params: { id: "lonely-stack" } })).policies.map((p) => p.type).sort()).toEqual(["GIT_PUSH", "NOTIFICATION", "PLAN", "TASK"]);
    const both = await failure(t.admin.call("deleteSpace", { params: { id: "lonely-space" } }));
    expect(both.message).toBe('space "lonely-space" is not empty (1 stack(s), 1 module(s), 4 policy(ies)): move or delete them first');

    await t.admin.call("deleteStack", { params: { id: "lonely-stack" } });
    for (const type of ["plan", "notification", "git_push", "task"]) await t.admin.call("deletePolicy", { params: { id: `lonely-${type}` } });
    await t.admin.call("deleteModule", { params: { id: "lonely" } });
    await t.admin.call("deleteWorkerPool", { params: { id: "lonely-pool" } });
    await t.admin.call("deleteSpace", { params: { id: "lonely-space" } });
  });

  it("refuses test settings it would not act on, naming the file and the key, storing nothing", async () => {
    repo.commit({ "modules/vpc/.spacelift/config.yml": "version: 1\nmodule_version: 2.4.0\ntests:\n  - name: default\n    runner_image: custom:latest\n" }, "runner image");
    const bad = await failure(t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "main" } }));
    expect(bad.status).toBe(422);
    expect(bad.message).toBe("modules/vpc/.spacelift/config.yml:5:5: tests[0].runner_image is not supported yet (a test takes name, project_root, environment and negative): fix the module's config file and publish again");
    repo.commit({ "modules/vpc/.spacelift/config.yml": "version: 1\nmodule_version: 2.4.0\ntests:\n  - project_root: ../../../etc\n" }, "no name");
    expect((await failure(t.admin.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "main" } }))).message).toContain("tests[0].name is required");
    expect((await t.admin.call("listModuleVersions", { params: { id: "vpc" } })).items.map((v) => v.version)).not.toContain("2.4.0");
    repo.commit({ "modules/vpc/.spacelift/config.yml": "version: 1\nmodule_version: 2.3.0\ntest_defaults:\n  environment:\n    TF_VAR_region: eu-west-1\ntests:\n  - name: default\n    project_root: examples/default\n" }, "back");
  });

  it("refuses bad module sources with the file and what to do, storing nothing", async () => {
    const unreadable = await failure(t.admin.call("createModule", { body: { name: "nope", terraformProvider: "aws", repository: join(repo.path, "missing"), spaceId: "platform" } }));
    expect(unreadable.status).toBe(422);
    expect(unreadable.message).toMatch(/^repository: /);
    const noBranch = await failure(t.admin.call("createModule", { body: { name: "nope", terraformProvider: "aws", repository: repo.path, branch: "develop", spaceId: "platform" } }));
    expect(noBranch.message).toContain('branch "develop" does not exist');
    const pool = await failure(t.admin.call("createModule", { body: { name: "nope", terraformProvider: "aws", repository: repo.path, spaceId: "platform", workerPoolId: "some-pool" } }));
    expect(pool.message).toBe('workerPoolId: worker pool "some-pool" does not exist');
    expect((await t.admin.call("listModules", {})).items.map((m) => m.id)).toEqual(["vpc"]);

    repo.commit({ "modules/docs/README.md": "no code\n" }, "docs only");
    const docs = await t.admin.call("createModule", { body: { name: "docs", terraformProvider: "aws", repository: repo.path, projectRoot: "modules/docs", spaceId: "platform" } });
    expect(docs.id).toBe("terraform-aws-docs");
    const noTf = await failure(t.admin.call("publishModuleVersion", { params: { id: docs.id }, body: { ref: "v3.0.0" } }));
    expect(noTf.message).toContain('does not exist at commit');
    repo.git("tag", "v0.1.0");
    const empty = await failure(t.admin.call("publishModuleVersion", { params: { id: docs.id }, body: { ref: "v0.1.0" } }));
    expect(empty.status).toBe(422);
    expect(empty.message).toContain('"modules/docs" at commit');
    expect(empty.message).toContain("has no .tf files");

    symlinkSync("../../README.md", join(repo.path, "modules/docs/escape"));
    repo.commit({ "modules/docs/main.tf": "" }, "link out");
    repo.git("tag", "v0.2.0");
    const link = await failure(t.admin.call("publishModuleVersion", { params: { id: docs.id }, body: { ref: "v0.2.0" } }));
    expect(link.message).toContain("symbolic link escape");
    expect(link.message).toContain("points outside the module");

    repo.commit({ "modules/big/main.tf": "", "modules/big/blob.txt": Array.from({ length: 20_000 }, (_, i) => `${i * 7919 % 104729}-${Math.sin(i)}`).join("\n") }, "big");
    repo.git("tag", "v9.0.0");
    const big = await t.admin.call("createModule", { body: { name: "big", terraformProvider: "aws", repository: repo.path, projectRoot: "modules/big", spaceId: "platform" } });
    const tooBig = await failure(t.admin.call("publishModuleVersion", { params: { id: big.id }, body: { ref: "v9.0.0" } }));
    expect(tooBig.status).toBe(413);
    expect(tooBig.message).toContain("over the registry's limit of 65536 bytes");
    expect(tooBig.message).toContain("GANTRY_MODULE_ARCHIVE_MAX_BYTES");
    expect((await t.admin.call("listModuleVersions", { params: { id: big.id } })).items).toEqual([]);
  });

  it("serves terraform's registry protocol over HTTPS: discovery, versions without yanked ones, signed archives", async () => {
    expect((await registryGet(https, ca, "/.well-known/terraform.json")).json()).toMatchObject({ "modules.v1": "/v1/modules/", "providers.v1": "/v1/providers/" });
    await t.admin.call("updateModuleVersion", { params: { id: "vpc", version: "2.1.0" }, body: { state: "YANKED" } });
    const listed = await registryGet(https, ca, "/v1/modules/acme/vpc/aws/versions", t.adminKey);
    expect(listed.status).toBe(200);
    // 2.3.0 waits on its test run (no worker here), so it is not offered yet, nor downloadable.
    expect(listed.json()).toEqual({ modules: [{ source: "acme/vpc/aws", versions: ["3.0.0", "2.2.0", "2.0.0"].map((version) => ({ version })) }] });
    const pending = await registryGet(https, ca, "/v1/modules/acme/vpc/aws/2.3.0/download", t.adminKey);
    expect(pending.status).toBe(404);
    expect(pending.body.toString("utf8")).toContain("is still being tested");
    // A yanked version still downloads by exact pin (existing lock files).
    const dl = await registryGet(https, ca, "/v1/modules/acme/vpc/aws/2.1.0/download", t.adminKey);
    expect(dl.status).toBe(204);
    const link = String(dl.headers["x-terraform-get"]);
    expect(link).toMatch(/^\/registry\/archives\/[0-9A-Z]+\.tar\.gz\?expires=\d+&signature=/);
    const archive = await registryGet(https, ca, link);
    expect(archive.status).toBe(200);
    expect(gunzipSync(archive.body).toString("latin1")).toContain('default = "10.1.0.0/16"');
    const tampered = await registryGet(https, ca, link.replace(/signature=(.)/, (_, c: string) => `signature=${c === "x" ? "y" : "x"}`));
    expect(tampered.status).toBe(403);
    expect((await registryGet(https, ca, "/v1/modules/acme/vpc/aws/versions")).status).toBe(401);
  });

  it("answers a caller who cannot read the module exactly as for a module that does not exist", async () => {
    const outsider = await userWithRole(t, "outsider", [{ spaceId: "payments", role: "admin" }]);
    const hidden = await registryGet(https, ca, "/v1/modules/acme/vpc/aws/versions", outsider.key);
    const missing = await registryGet(https, ca, "/v1/modules/acme/nothing/aws/versions", outsider.key);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((hidden.json() as { error: { message: string } }).error.message.replace("vpc", "X")).toBe((missing.json() as { error: { message: string } }).error.message.replace("nothing", "X"));
    // The management API refuses as it does for stacks; only the registry protocol hides existence.
    expect((await failure(t.client(outsider.key).call("getModule", { params: { id: "vpc" } }))).status).toBe(403);
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { sharedWith: ["payments"] } });
    expect((await registryGet(https, ca, "/v1/modules/acme/vpc/aws/versions", outsider.key)).status).toBe(200);
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { sharedWith: [] } });
  });

  it("needs write in the module's space to create, change and publish", async () => {
    const reader = await userWithRole(t, "mreader", [{ spaceId: "platform", role: "read" }]);
    const api = t.client(reader.key);
    expect((await api.call("getModule", { params: { id: "vpc" } })).id).toBe("vpc");
    expect((await failure(api.call("createModule", { body: { name: "x", terraformProvider: "aws", repository: repo.path, spaceId: "platform" } }))).status).toBe(403);
    expect((await failure(api.call("publishModuleVersion", { params: { id: "vpc" }, body: { ref: "v3.0.0" } }))).status).toBe(403);
    expect((await failure(api.call("updateModuleVersion", { params: { id: "vpc", version: "2.0.0" }, body: { state: "YANKED" } }))).status).toBe(403);
    await t.admin.call("updateModule", { params: { id: "vpc" }, body: { protectFromDeletion: true } });
    expect((await failure(t.admin.call("deleteModule", { params: { id: "vpc" } }))).message).toContain("protected from deletion");
  });

  it("the poller publishes a tag pushed to an existing commit, though no branch head moved", async () => {
    const poll = t.server.vcsForTests!.pollNow;
    await poll();
    const head = repo.git("rev-parse", "main");
    repo.git("tag", "v2.5.0", "main");
    await poll();
    const v = await t.admin.call("getModuleVersion", { params: { id: "vpc", version: "2.5.0" } });
    expect(v).toMatchObject({ version: "2.5.0", tag: "v2.5.0", commit: head });
    expect(repo.git("rev-parse", "main")).toBe(head);
    // Seen once: the next round publishes nothing again.
    await poll();
    expect((await t.admin.call("listModuleVersions", { params: { id: "vpc" } })).items.filter((x) => x.version === "2.5.0")).toHaveLength(1);
    // The first round sees every tag of three modules' repository for the first time (each a fetch and a publish attempt).
  }, 180_000);
});
