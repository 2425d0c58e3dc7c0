/**
 * Behaviour of the domain API on both dialects: the space tree, stacks, secrets, explain,
 * bad input that must leave nothing half-written, and the audit trail.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, failure, rawSql, startTestServer, type TestServer } from "./harness.js";

describe.each(dialects)("domain API (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.stop());

  it("keeps the space tree a tree and refuses to delete non-empty spaces", async () => {
    const a = t.admin;
    await a.call("createSpace", { body: { id: "prod", name: "prod" } });
    await a.call("createSpace", { body: { id: "prod-eu", name: "eu", parentSpaceId: "prod" } });
    const cycle = await failure(a.call("updateSpace", { params: { id: "prod" }, body: { parentSpaceId: "prod-eu" } }));
    expect(cycle.code).toBe("invalid");
    expect(cycle.details).toMatchObject({ issues: [{ path: ["parentSpaceId"] }] });
    expect((await a.call("getSpace", { params: { id: "prod" } })).parentSpaceId).toBe("root");
    const self = await failure(a.call("updateSpace", { params: { id: "prod" }, body: { parentSpaceId: "prod" } }));
    expect(self.message).toContain("cycle");
    const nonEmpty = await failure(a.call("deleteSpace", { params: { id: "prod" } }));
    expect(nonEmpty.code).toBe("conflict");
    expect(nonEmpty.message).toContain("1 child space");
    expect((await failure(a.call("deleteSpace", { params: { id: "root" } }))).code).toBe("conflict");
    const missingParent = await failure(a.call("createSpace", { body: { name: "x", parentSpaceId: "nope" } }));
    expect(missingParent.details).toMatchObject({ issues: [{ path: ["parentSpaceId"] }] });
    await a.call("deleteSpace", { params: { id: "prod-eu" } });
    await a.call("deleteSpace", { params: { id: "prod" } });
    const generated = await a.call("createSpace", { body: { name: "Team Data" } });
    expect(generated.id).toMatch(/^team-data-[0-9a-z]{26}$/);
  });

  it("creates, updates and protects stacks", async () => {
    const a = t.admin;
    const trailing = await failure(a.call("createStack", { body: { name: "Networking Prod", repository: "https://git.example.com/infra.git", projectRoot: "stacks/net/" } }));
    expect(trailing.details).toMatchObject({ issues: [{ path: ["projectRoot"] }] });
    const withCredentials = await failure(a.call("createStack", { body: { name: "Networking Prod", repository: "https://bob:hunter2@git.example.com/infra.git" } }));
    expect(withCredentials.message).toContain("must not carry credentials");
    expect(withCredentials.message).not.toContain("hunter2");
    const s = await a.call("createStack", { body: { name: "Networking Prod", repository: "https://git.example.com/infra.git", projectRoot: "stacks/net", labels: ["team:net", "team:net"] } });
    expect(s).toMatchObject({ id: "networking-prod", branch: "main", projectRoot: "stacks/net", labels: ["team:net"], manageState: true, workflowTool: "TERRAFORM", state: "NONE" });
    const dup = await failure(a.call("createStack", { body: { name: "Networking Prod", repository: "x" } }));
    expect(dup.code).toBe("already_exists");
    const u = await a.call("updateStack", { params: { id: s.id }, body: { protectFromDeletion: true, hooks: { ...s.hooks, beforeInit: ["echo hi"] }, terraformVersion: "1.11.4" } });
    expect(u.hooks.beforeInit).toEqual(["echo hi"]);
    const refused = await failure(a.call("deleteStack", { params: { id: s.id } }));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain("protectFromDeletion");
    await a.call("updateStack", { params: { id: s.id }, body: { protectFromDeletion: false } });
    await a.call("deleteStack", { params: { id: s.id } });
    expect((await failure(a.call("getStack", { params: { id: s.id } }))).code).toBe("not_found");
  });

  it("never returns or stores write-only values in the clear, and keeps them out of the audit trail", async () => {
    const a = t.admin;
    await a.call("createContext", { body: { id: "secrets", name: "secrets" } });
    const secret = "hunter2-very-secret-value";
    const v = await a.call("putContextVariable", { params: { id: "secrets", name: "DB_PASSWORD" }, body: { value: secret, writeOnly: true } });
    expect(v.value).toBeNull();
    expect(v.checksum).toBe(createHash("sha256").update(secret).digest("hex"));
    const fileContent = Buffer.from("secret file body").toString("base64");
    await a.call("putContextFile", { params: { id: "secrets" }, body: { relativePath: "creds/key.pem", content: fileContent, writeOnly: true } });
    const cfg = await a.call("contextConfig", { params: { id: "secrets" } });
    expect(cfg.variables[0]).toMatchObject({ name: "DB_PASSWORD", value: null, writeOnly: true });
    expect(cfg.files[0]).toMatchObject({ relativePath: "creds/key.pem", content: null, writeOnly: true });
    const everything = JSON.stringify(cfg) + JSON.stringify(await a.call("listAuditEvents", { query: {} }));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(fileContent);
    const atRest = await dumpTable(t, "config_elements");
    expect(atRest).not.toContain(secret);
    expect(atRest).not.toContain("secret file body");
    const escape = await failure(a.call("putContextFile", { params: { id: "secrets" }, body: { relativePath: "../../etc/passwd", content: fileContent } }));
    expect(escape.details).toMatchObject({ issues: [{ path: ["relativePath"] }] });
  });

  it("explains which entities apply to a stack and why", async () => {
    const a = t.admin;
    await a.call("createSpace", { body: { id: "platform", name: "platform" } });
    await a.call("createSpace", { body: { id: "apps", name: "apps", parentSpaceId: "platform", inheritEntities: true } });
    await a.call("createSpace", { body: { id: "isolated", name: "isolated", parentSpaceId: "platform", inheritEntities: false } });
    await a.call("createStack", { body: { id: "web", name: "web", spaceId: "apps", repository: "r", labels: ["env:prod"] } });
    await a.call("createStack", { body: { id: "lonely", name: "lonely", spaceId: "isolated", repository: "r", labels: ["env:prod"] } });
    await a.call("createContext", { body: { id: "prod-vars", name: "prod vars", spaceId: "platform", labels: ["autoattach:env:prod"] } });
    await a.call("createContext", { body: { id: "app-vars", name: "app vars", spaceId: "apps" } });
    await a.call("createContext", { body: { id: "dev-vars", name: "dev vars", spaceId: "platform", labels: ["autoattach:env:dev"] } });
    await a.call("createPolicy", { body: { id: "guard", name: "guard", spaceId: "root", type: "PLAN", body: "package spacelift", labels: ["autoattach:*"] } });
    await a.call("attachContext", { params: { id: "web", entityId: "app-vars" }, body: { priority: 5 } });
    await a.call("attachContext", { params: { id: "web", entityId: "prod-vars" }, body: { priority: 1 } });

    const e = await a.call("explainStack", { params: { id: "web" } });
    expect(e.contexts.map((c) => [c.id, c.order])).toEqual([["prod-vars", 1], ["app-vars", 2]]);
    const prodVars = e.contexts[0]!;
    expect(prodVars.throughSpaces).toEqual(["apps", "platform"]);
    expect(prodVars.reasons).toEqual([{ kind: "direct", priority: 1 }, { kind: "label", label: "autoattach:env:prod", stackLabel: "env:prod" }]);
    // `apps` inherits from `platform` but `platform` does not inherit from root: the root policy does not reach.
    expect(e.policies).toEqual([]);
    await a.call("updateSpace", { params: { id: "platform" }, body: { inheritEntities: true } });
    const e2 = await a.call("explainStack", { params: { id: "web" } });
    expect(e2.policies).toMatchObject([{ id: "guard", throughSpaces: ["apps", "platform", "root"], reasons: [{ kind: "label", label: "autoattach:*", stackLabel: null }] }]);
    // A space that does not inherit sees nothing from above, and cannot attach it either.
    const lonely = await a.call("explainStack", { params: { id: "lonely" } });
    expect(lonely.contexts).toEqual([]);
    const unreachable = await failure(a.call("attachContext", { params: { id: "lonely", entityId: "prod-vars" }, body: {} }));
    expect(unreachable.code).toBe("conflict");
    expect((await a.call("listStackAttachments", { params: { id: "lonely" } })).items).toEqual([]);
    // Turning off inheritance would strand web's direct attachment of prod-vars: refused, nothing changed.
    const strand = await failure(a.call("updateSpace", { params: { id: "apps" }, body: { inheritEntities: false } }));
    expect(strand.code).toBe("conflict");
    expect(strand.message).toContain("prod-vars");
    expect((await a.call("getSpace", { params: { id: "apps" } })).inheritEntities).toBe(true);
  });

  it("answers bad input with field paths and writes nothing", async () => {
    const before = await dumpTable(t, "stacks");
    const auditBefore = (await t.admin.call("listAuditEvents", { query: { limit: 1000 } })).items.length;
    const malformed = await t.raw("POST", "/api/v1/stacks", { token: t.adminKey, body: "{\"name\": " });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: "bad_request" } });
    const wrong = await t.raw("POST", "/api/v1/stacks", { token: t.adminKey, body: JSON.stringify({ name: "x", repository: 5, autodeploy: "yes", extra: 1, hooks: { beforeInit: [1] } }) });
    expect(wrong.status).toBe(422);
    const paths = (wrong.json as { error: { details: { issues: { path: unknown[] }[] } } }).error.details.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["repository", "autodeploy", "hooks.beforeInit.0", "extra"]));
    expect((wrong.json as { error: { message: string } }).error.message).toContain("extra: unknown field");
    const secretInBody = await t.raw("PUT", "/api/v1/stacks/x/variables/A", { token: t.adminKey, body: '{"value": hunter2-secret' });
    expect(JSON.stringify(secretInBody.json)).not.toContain("hunter2");
    const missingSpace = await failure(t.admin.call("createStack", { body: { name: "y", repository: "r", spaceId: "nowhere" } }));
    expect(missingSpace.details).toMatchObject({ issues: [{ path: ["spaceId"] }] });
    const badId = await failure(t.admin.call("createStack", { body: { id: "Not A Slug", name: "y", repository: "r" } }));
    expect(badId.code).toBe("invalid");
    const unknownRoute = await t.raw("GET", "/api/v1/nothing", { token: t.adminKey });
    expect(unknownRoute.json).toMatchObject({ error: { code: "not_found" } });
    expect(await dumpTable(t, "stacks")).toBe(before);
    expect((await t.admin.call("listAuditEvents", { query: { limit: 1000 } })).items.length).toBe(auditBefore);
  });

  it("refuses control and bidirectional formatting characters in names, labels and descriptions, naming the position", async () => {
    const a = t.admin;
    const before = await dumpTable(t, "stacks");
    const rlo = await failure(a.call("createStack", { body: { name: "prod\u202Eved", repository: "r" } }));
    expect(rlo.code).toBe("invalid");
    expect(rlo.details).toMatchObject({ issues: [{ path: ["name"] }] });
    expect(rlo.message).toContain("U+202E at position 5");
    const label = await failure(a.call("createStack", { body: { name: "ok", repository: "r", labels: ["fine", "team:\u2066x"] } }));
    expect(label.details).toMatchObject({ issues: [{ path: ["labels", 1] }] });
    expect(label.message).toContain("U+2066 at position 6");
    const nul = await failure(a.call("createContext", { body: { id: "c-nul", name: "c", description: "line one\nline\u0000two" } }));
    expect(nul.details).toMatchObject({ issues: [{ path: ["description"] }] });
    expect(nul.message).toContain("U+0000 at position 14");
    expect((await failure(a.call("createSpace", { body: { name: "a\u0007b" } }))).message).toContain("U+0007 at position 2");
    expect((await failure(a.call("updateStack", { params: { id: "never-there" }, body: { name: "x\u200Fy" } }))).code).toBe("invalid");
    expect(await dumpTable(t, "stacks")).toBe(before);
    // Line breaks and tabs in a description are text, not tricks.
    const ctx = await a.call("createContext", { body: { id: "c-multi", name: "Multi line", description: "first\n\tsecond" } });
    expect(ctx.description).toBe("first\n\tsecond");
    await a.call("deleteContext", { params: { id: "c-multi" } });
  });

  it("refuses policies that do not compile, with the engine's row and column", async () => {
    const a = t.admin;
    const bad = await failure(a.call("createPolicy", { body: { id: "broken", name: "broken", type: "PLAN", body: "package spacelift\n\ndeny contains msg if {\n  msg := \n}\n" } }));
    expect(bad.code).toBe("invalid");
    expect(bad.message).toContain("rego_parse_error");
    expect(bad.details).toMatchObject({ issues: [{ path: ["body"], row: 5, col: 1 }] });
    const unsafe = await failure(a.call("createPolicy", { body: { id: "unsafe", name: "unsafe", type: "PLAN", body: "package spacelift\n\ndeny contains msg if {\n  x > 1\n  msg := \"x\"\n}\n" } }));
    expect(unsafe.message).toContain("rego_unsafe_var_error");
    // v1 syntax is refused as V0 and the other way round
    const v0 = await failure(a.call("createPolicy", { body: { id: "v0", name: "v0", type: "PLAN", regoVersion: "V1", body: "package spacelift\n\ndeny[msg] { msg := \"no\" }\n" } }));
    expect(v0.code).toBe("invalid");
    await a.call("createPolicy", { body: { id: "v0", name: "v0", type: "PLAN", regoVersion: "V0", body: "package spacelift\n\ndeny[msg] { msg := \"no\" }\n" } });
    await failure(a.call("updatePolicy", { params: { id: "v0" }, body: { regoVersion: "V1" } }));
    expect((await a.call("getPolicy", { params: { id: "v0" } })).regoVersion).toBe("V0");
    expect((await a.call("listPolicies", { query: {} })).items.map((p) => p.id)).not.toContain("broken");
  });

  it("records every mutation in the audit trail with filters", async () => {
    const a = t.admin;
    await a.call("createStack", { body: { id: "audited", name: "audited", repository: "r" } });
    await a.call("updateStack", { params: { id: "audited" }, body: { autodeploy: true } });
    await a.call("putStackVariable", { params: { id: "audited", name: "TOKEN" }, body: { value: "tok-secret", writeOnly: true } });
    const events = await a.call("listAuditEvents", { query: { targetId: "audited" } });
    expect(events.items.map((e) => e.action)).toEqual(["stack.variable.put", "stack.update", "stack.create"]);
    const me = await a.call("me", {});
    expect(events.items.every((e) => e.actorId === me.id && e.spaceId === "root")).toBe(true);
    expect(JSON.stringify(events)).not.toContain("tok-secret");
    const filtered = await a.call("listAuditEvents", { query: { action: "stack.update", targetId: "audited" } });
    expect(filtered.items).toHaveLength(1);
    const firstPage = await a.call("listAuditEvents", { query: { targetId: "audited", limit: 2 } });
    const second = await a.call("listAuditEvents", { query: { targetId: "audited", limit: 2, cursor: firstPage.nextCursor! } });
    expect([...firstPage.items, ...second.items].map((e) => e.action)).toEqual(events.items.map((e) => e.action));
  });

  it("binds each encrypted value to its row: a ciphertext moved, or a write-only flag flipped, in the database never decrypts", async () => {
    const a = t.admin;
    await a.call("createStack", { body: { id: "tamper", name: "tamper", spaceId: "root", repository: "/srv/r.git" } });
    await a.call("putStackVariable", { params: { id: "tamper", name: "SECRET" }, body: { value: "hunter2-secret", writeOnly: true } });
    await a.call("putStackVariable", { params: { id: "tamper", name: "PLAIN" }, body: { value: "visible" } });
    expect((await a.call("stackConfig", { params: { id: "tamper" } })).variables.find((v) => v.name === "PLAIN")?.value).toBe("visible");
    await rawSql(t, "update config_elements set value_encrypted = (select value_encrypted from config_elements where owner_id = 'tamper' and name = 'SECRET') where owner_id = 'tamper' and name = 'PLAIN'");
    const moved = await failure(a.call("stackConfig", { params: { id: "tamper" } }));
    expect(moved.status).toBe(500);
    expect(JSON.stringify(moved)).not.toContain("hunter2");
    await a.call("deleteStackVariable", { params: { id: "tamper", name: "PLAIN" } });
    await rawSql(t, "update config_elements set write_only = 0 where owner_id = 'tamper' and name = 'SECRET'");
    expect(JSON.stringify(await failure(a.call("stackConfig", { params: { id: "tamper" } })))).not.toContain("hunter2");
  });

  it("slows password guessing: after five failures an account answers 429 with Retry-After", async () => {
    const a = t.admin;
    await a.call("createUser", { body: { username: "guessed", password: "the right password" } });
    for (let i = 0; i < 5; i++) expect((await failure(a.call("login", { body: { username: "guessed", password: `guess ${i}` } }))).code).toBe("unauthenticated");
    const raw = await t.raw("POST", "/api/v1/auth/login", { body: JSON.stringify({ username: "guessed", password: "the right password" }), headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(429);
    expect(raw.json).toMatchObject({ error: { code: "too_many_requests", details: { retryAfterSeconds: 1 } } });
    // Other accounts are not affected.
    await a.call("createUser", { body: { username: "bystander", password: "another password" } });
    expect((await a.call("login", { body: { username: "bystander", password: "another password" } })).token).toMatch(/^gns_/);
  });

  it("logs users in with passwords and keeps API key secrets hashed", async () => {
    const a = t.admin;
    const user = await a.call("createUser", { body: { username: "alice", password: "a long enough password" } });
    const wrong = await failure(a.call("login", { body: { username: "alice", password: "nope" } }));
    expect(wrong.code).toBe("unauthenticated");
    const session = await a.call("login", { body: { username: "alice", password: "a long enough password" } });
    const asAlice = t.client(session.token);
    expect((await asAlice.call("me", {})).name).toBe("alice");
    const key = await asAlice.call("createApiKey", { body: { name: "ci" } });
    expect((await t.client(key.secret).call("me", {})).id).toBe(user.id);
    expect(await dumpTable(t, "api_keys")).not.toContain(key.secret.split("_").slice(2).join("_"));
    expect(await dumpTable(t, "users")).not.toContain("a long enough password");
    await asAlice.call("logout", {});
    expect((await failure(asAlice.call("me", {}))).code).toBe("unauthenticated");
    await a.call("updateUser", { params: { id: user.id }, body: { disabled: true } });
    expect((await failure(t.client(key.secret).call("me", {}))).code).toBe("unauthenticated");
    expect(readFileSync(`${t.dataDir}/admin-api-key`, "utf8").trim()).toBe(t.adminKey);
  });
});
