/**
 * A create whose id is taken, on both dialects: a 409 `already_exists` that also names the field
 * to change (`id` when the caller chose the id, `name` when the id was made from the name), so a
 * form shows it there; the existing entity is left as it was. Spaces, VCS and Slack integrations
 * in detail; contexts, policies, AWS integrations, webhooks, worker pools, stacks, modules and
 * provider namespaces through one table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo } from "../../worker/test/fixtures.js";
import { dialects, failure, startTestServer, type TestServer } from "./harness.js";

describe.each(dialects)("taken ids at their field (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.stop());

  it("names the id field for a space whose chosen id is taken", async () => {
    await t.admin.call("createSpace", { body: { id: "billing", name: "billing", description: "invoices" } });
    const taken = await failure(t.admin.call("createSpace", { body: { id: "billing", name: "other", description: "other" } }));
    expect(taken.status).toBe(409);
    expect(taken.code).toBe("already_exists");
    expect(taken.message).toBe('space "billing" already exists: pick another id or name');
    expect(taken.details).toEqual({ issues: [{ path: ["id"], message: 'space "billing" already exists: pick another id' }] });
    expect(await t.admin.call("getSpace", { params: { id: "billing" } })).toMatchObject({ name: "billing", description: "invoices" });
  });

  it("names the id field, or the name field when the id was made from it, for a VCS integration", async () => {
    await t.admin.call("createVcsIntegration", { body: { name: "Git Hub", description: "first", provider: "RAW_GIT" } });
    const byId = await failure(t.admin.call("createVcsIntegration", { body: { id: "git-hub", name: "second", provider: "RAW_GIT" } }));
    expect(byId.status).toBe(409);
    expect(byId.details).toEqual({ issues: [{ path: ["id"], message: 'VCS integration "git-hub" already exists: pick another id' }] });
    const byName = await failure(t.admin.call("createVcsIntegration", { body: { name: "git hub", provider: "RAW_GIT" } }));
    expect(byName.status).toBe(409);
    expect(byName.details).toEqual({ issues: [{ path: ["name"], message: 'the id made from it, "git-hub", is taken by another VCS integration: pick another name or set an id' }] });
    expect((await t.admin.call("listVcsIntegrations", { query: {} })).items).toMatchObject([{ id: "git-hub", name: "Git Hub", description: "first" }]);
  });

  it("names the id field, or the name field when the id was made from it, for a Slack integration", async () => {
    await t.admin.call("createSlackIntegration", { body: { name: "Ops", botToken: "xoxb-1-first" } });
    const first = (await t.admin.call("listSlackIntegrations", {})).items;
    const byId = await failure(t.admin.call("createSlackIntegration", { body: { id: "ops", name: "second", botToken: "xoxb-2-second" } }));
    expect(byId.status).toBe(409);
    expect(byId.details).toEqual({ issues: [{ path: ["id"], message: 'Slack integration "ops" already exists: pick another id' }] });
    const byName = await failure(t.admin.call("createSlackIntegration", { body: { name: "OPS", botToken: "xoxb-3-third" } }));
    expect(byName.details).toEqual({ issues: [{ path: ["name"], message: 'the id made from it, "ops", is taken by another Slack integration: pick another name or set an id' }] });
    expect((await t.admin.call("listSlackIntegrations", {})).items).toEqual(first);
  });

  it("names the id field for every other entity created under a chosen id", async () => {
    const a = t.admin;
    const repo = makeRepo({ "main.tf": "variable \"cidr\" {}\n" });
    // The second module differs in name: the same registry address is refused earlier, as a conflict.
    const creates: [string, (attempt: number) => Promise<unknown>][] = [
      ["context", () => a.call("createContext", { body: { id: "dup", name: "dup" } })],
      ["policy", () => a.call("createPolicy", { body: { id: "dup", name: "dup", type: "PLAN", body: "package spacelift\n" } })],
      ["AWS integration", () => a.call("createAwsIntegration", { body: { id: "dup", name: "dup", roleArn: "arn:aws:iam::123456789012:role/dup" } })],
      ["webhook", () => a.call("createWebhook", { body: { id: "dup", name: "dup", endpoint: "https://hooks.example.com/dup" } })],
      ["worker pool", () => a.call("createWorkerPool", { body: { id: "dup", name: "dup" } })],
      ["stack", () => a.call("createStack", { body: { id: "dup", name: "dup", repository: "/srv/dup.git" } })],
      ["module", (attempt) => a.call("createModule", { body: { id: "dup", name: `vpc${attempt}`, terraformProvider: "aws", repository: repo.path } })],
      ["provider namespace", () => a.call("createProviderNamespace", { body: { id: "dup" } })],
    ];
    for (const [noun, create] of creates) {
      await create(0);
      const taken = await failure(create(1));
      expect([noun, taken.status, taken.details]).toEqual([noun, 409, { issues: [{ path: ["id"], message: `${noun} "dup" already exists: pick another id` }] }]);
    }
    // The same registry address under another id: a conflict, shown at the name.
    const address = await failure(a.call("createModule", { body: { id: "dup-other", name: "vpc0", terraformProvider: "aws", repository: repo.path } }));
    expect([address.status, address.code, address.details]).toEqual([409, "conflict", { issues: [{ path: ["name"], message: "module gantry/vpc0/aws is already registered (as dup): pick another name, provider or namespace" }] }]);
    // Without an id, the id made from the name is taken: the name field is the one to change.
    const byName = await failure(a.call("createContext", { body: { name: "DUP" } }));
    expect(byName.details).toEqual({ issues: [{ path: ["name"], message: 'the id made from it, "dup", is taken by another context: pick another name or set an id' }] });
  });
});
