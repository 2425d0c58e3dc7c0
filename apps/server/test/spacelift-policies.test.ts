/**
 * A Spacelift user's policies load unchanged: the seed blog's seven and Spacelift's example
 * policy library (vendored under fixtures/, MIT), each created through the API with no
 * regoVersion, as the Spacelift provider or a copy-paste would. Rego v0 bodies are stored as V0
 * with a warning; where the library ships a `_test.rego`, it is saved as the policy's tests, so
 * the server runs it and refuses the policy if one fails.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { dialects, failure, startTestServer, type TestServer } from "./harness.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** The library's folder names (and its .yml `type:`) as Gantry's policy types. */
const libraryTypes: Record<string, string> = {
  access: "ACCESS", approval: "APPROVAL", login: "LOGIN", notification: "NOTIFICATION", plan: "PLAN", push: "GIT_PUSH", trigger: "TRIGGER",
  git_push: "GIT_PUSH", task: "TASK", initialization: "INITIALIZATION",
};

/**
 * The one library test that fails, and would under OPA too: it expects `ignore` for a push with
 * no `pull_request`, but the policy's `is_pr` is `not is_null(input.pull_request)`, which is true
 * when `pull_request` is absent (undefined, so `is_null` is undefined and `not` makes it true).
 */
const knownFailingUpstream = "data.spacelift_test.test_ignore_non_pr_events failed";

interface PolicyFile { id: string; type: string; body: string; tests: string }

function regoFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return regoFiles(path);
    return name.endsWith(".rego") && !name.endsWith("_test.rego") ? [path] : [];
  });
}

function policiesIn(root: string, typeOf: (path: string) => string): PolicyFile[] {
  return regoFiles(root).sort().map((path) => {
    const testPath = path.replace(/\.rego$/, "_test.rego");
    let tests = "";
    try {
      tests = readFileSync(testPath, "utf8");
    } catch {
      // no tests shipped for this one
    }
    const id = path.slice(root.length).replace(/^\/+/, "").replace(/\.rego$/, "").replace(/[/_]/g, "-");
    return { id, type: typeOf(path), body: readFileSync(path, "utf8"), tests };
  });
}

/** The type from the policy's .yml when the library ships one (not for access policies), else from its folder. */
function typeOf(root: string) {
  return (path: string): string => {
    let declared: string | undefined;
    try {
      declared = (parseYaml(readFileSync(path.replace(/\.rego$/, ".yml"), "utf8")) as { type: string }).type;
    } catch {
      declared = undefined;
    }
    return libraryTypes[(declared ?? path.slice(root.length + 1).split("/")[0]!).toLowerCase()]!;
  };
}

const blogRoot = join(fixtures, "spacelift-blog-policies");
const blog = policiesIn(blogRoot, typeOf(blogRoot));
const libraryRoot = join(fixtures, "spacelift-policy-library", "examples");
const library = policiesIn(libraryRoot, typeOf(libraryRoot));

describe.each(dialects)("Spacelift policies load unchanged (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.stop());

  it("has the fixtures it claims to test", () => {
    expect(blog.map((p) => p.id)).toHaveLength(7);
    expect(library.length).toBeGreaterThan(60);
    expect(library.filter((p) => p.tests).length).toBeGreaterThan(50);
    for (const p of [...blog, ...library]) expect(p.type, p.id).toBeDefined();
  });

  it("loads the blog's policies as V0, with a warning, running its tests; refuses the one OPA refuses too", async () => {
    for (const p of blog) {
      const call = t.admin.call("createPolicy", { body: { id: `blog-${p.id}`, name: p.id, type: p.type as "PLAN", body: p.body, tests: p.tests } });
      if (p.id === "access-project-ownership") {
        // `not input.session.teams[_] == "github-platform-team"` binds `_` only inside the
        // negation: OPA refuses it (rego_unsafe_var_error) and so does Gantry, naming the line as
        // v0 (not v1's "`if` keyword is required"). docs/migrating-from-spacelift.md gives the fix.
        const err = await failure(call);
        expect(err.status).toBe(422);
        expect(err.message).toContain("blog-access-project-ownership.rego:39:1: rego_unsafe_var_error: var _ is unsafe");
        expect(err.message).not.toContain("`if` keyword");
        continue;
      }
      const created = await call;
      expect(created.regoVersion, p.id).toBe("V0");
      expect(created.warnings?.[0], p.id).toMatch(/no regoVersion was given .* stored as V0/);
      const read = await t.admin.call("getPolicy", { params: { id: `blog-${p.id}` } });
      expect(read.regoVersion).toBe("V0");
      expect(read.warnings).toBeUndefined();
    }
  });

  it("loads every policy of Spacelift's example library, and each passes its own tests", async () => {
    const refused: string[] = [];
    for (const p of library) {
      try {
        const created = await t.admin.call("createPolicy", { body: { id: `lib-${p.id}`, name: p.id, type: p.type as "PLAN", body: p.body, tests: p.tests } });
        // The library is written for v0 throughout (some files import future.keywords); v1-clean ones stay V1 silently.
        if (created.regoVersion === "V1") expect(created.warnings, p.id).toBeUndefined();
        else expect(created.warnings?.length, p.id).toBe(1);
      } catch (err) {
        refused.push(`${p.id}: ${(err as Error).message}`);
      }
    }
    expect(refused).toEqual([expect.stringContaining(`push-prs-only: policy lib-push-prs-only not saved: 1 of 3 tests did not pass: ${knownFailingUpstream}`)]);
    // Without its broken test, the policy itself loads.
    const prsOnly = library.find((p) => p.id === "push-prs-only")!;
    expect((await t.admin.call("createPolicy", { body: { id: "lib-push-prs-only", name: "prs-only", type: "GIT_PUSH", body: prsOnly.body } })).regoVersion).toBe("V1");
  });

  it("keeps v1 bodies V1 without a warning, and never overrides an explicit version", async () => {
    const v1 = await t.admin.call("createPolicy", { body: { id: "modern", name: "modern", type: "PLAN", body: "package spacelift\ndeny contains msg if { msg := \"no\"; input.x }" } });
    expect(v1.regoVersion).toBe("V1");
    expect(v1.warnings).toBeUndefined();
    const err = await failure(t.admin.call("createPolicy", { body: { id: "old", name: "old", type: "PLAN", regoVersion: "V1", body: "package spacelift\ndeny[msg] { msg := \"no\" }" } }));
    expect(err.status).toBe(422);
    expect(err.message).toContain("Rego v0 syntax");
  });

  it("switches the version when an update pastes a v0 body over a v1 policy without saying so", async () => {
    await t.admin.call("createPolicy", { body: { id: "pasted", name: "pasted", type: "PLAN", body: "package spacelift\ndeny contains \"no\" if input.x" } });
    const updated = await t.admin.call("updatePolicy", { params: { id: "pasted" }, body: { body: "package spacelift\ndeny[msg] { input.x; msg := \"no\" }" } });
    expect(updated.regoVersion).toBe("V0");
    expect(updated.warnings?.[0]).toContain("stored as V0");
    // Only the name changes: no detection, no warning.
    const renamed = await t.admin.call("updatePolicy", { params: { id: "pasted" }, body: { name: "renamed" } });
    expect(renamed.regoVersion).toBe("V0");
    expect(renamed.warnings).toBeUndefined();
  });

  it("refuses a body that is Rego in neither version with the v1 errors", async () => {
    const err = await failure(t.admin.call("createPolicy", { body: { id: "broken", name: "broken", type: "PLAN", body: "package spacelift\ndeny[msg] {" } }));
    expect(err.status).toBe(422);
    expect(err.message).not.toContain("Rego v0 syntax");
  });
});
