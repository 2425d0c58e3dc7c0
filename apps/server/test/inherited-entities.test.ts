/**
 * Inherited entities are usable from the inheriting child space, as in Spacelift, on both
 * dialects: an admin of a child space that inherits entities attaches the parent's context,
 * policy and AWS integration to a stack of the child without any role on the parent, yet still
 * cannot read them (nor the context's write-only value). A space that does not inherit cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";

describe.each(dialects)("inherited entities (%s)", (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect);
  });
  afterAll(() => t?.stop());

  it("lets a child space's admin attach the parent's context, policy and AWS integration, and read none of them", async () => {
    const a = t.admin;
    await a.call("createSpace", { body: { id: "org", name: "org" } });
    await a.call("createSpace", { body: { id: "team", name: "team", parentSpaceId: "org", inheritEntities: true } });
    await a.call("createSpace", { body: { id: "squad", name: "squad", parentSpaceId: "team", inheritEntities: true } });
    await a.call("createSpace", { body: { id: "island", name: "island", parentSpaceId: "org", inheritEntities: false } });
    await a.call("createContext", { body: { id: "org-ctx", name: "org ctx", spaceId: "org" } });
    await a.call("putContextVariable", { params: { id: "org-ctx", name: "DB_PASSWORD" }, body: { value: "s3cr3t-inherited-value", writeOnly: true } });
    await a.call("createPolicy", { body: { id: "org-plan", name: "org plan", spaceId: "org", type: "PLAN", body: "package spacelift" } });
    await a.call("createAwsIntegration", { body: { id: "org-aws", name: "org aws", spaceId: "org", roleArn: "arn:aws:iam::123456789012:role/deployer" } });

    const lead = await userWithRole(t, "squad-lead", [{ spaceId: "squad", role: "admin" }]);
    const asLead = t.client(lead.key);
    await asLead.call("createStack", { body: { id: "squad-app", name: "squad app", spaceId: "squad", repository: "/srv/app.git" } });
    // Two levels up, each level inheriting.
    await asLead.call("attachContext", { params: { id: "squad-app", entityId: "org-ctx" }, body: { priority: 1 } });
    await asLead.call("attachPolicy", { params: { id: "squad-app", entityId: "org-plan" } });
    await asLead.call("attachAwsIntegration", { params: { id: "squad-app", entityId: "org-aws" }, body: { read: true, write: false } });
    const attached = await asLead.call("listStackAttachments", { params: { id: "squad-app" } });
    expect(attached.items.map((x) => `${x.kind}:${x.entityId}`).sort()).toEqual(["aws_integration:org-aws", "context:org-ctx", "policy:org-plan"]);
    expect(JSON.stringify(attached)).not.toContain("s3cr3t");
    // Using is not reading: the parent's entities stay unreadable to the child's admin.
    expect((await failure(asLead.call("getContext", { params: { id: "org-ctx" } }))).status).toBe(403);
    expect((await failure(asLead.call("getPolicy", { params: { id: "org-plan" } }))).status).toBe(403);
    expect((await failure(asLead.call("getAwsIntegration", { params: { id: "org-aws" } }))).status).toBe(403);
    // Root sees the variable as write-only: a checksum, never the value.
    expect(JSON.stringify(await a.call("getContext", { params: { id: "org-ctx" } }))).not.toContain("s3cr3t-inherited-value");
    await asLead.call("detachContext", { params: { id: "squad-app", entityId: "org-ctx" } });

    // Without inheritance the parent's entities are out of reach, and out of sight.
    const loner = await userWithRole(t, "island-admin", [{ spaceId: "island", role: "admin" }]);
    const asLoner = t.client(loner.key);
    await asLoner.call("createStack", { body: { id: "island-app", name: "island app", spaceId: "island", repository: "/srv/app.git" } });
    const refused = await failure(asLoner.call("attachContext", { params: { id: "island-app", entityId: "org-ctx" }, body: {} }));
    expect(refused.status).toBe(403);
    expect(refused.message).toContain("needs the read role");
    // Root can read org, but island still does not reach it: a conflict that says why.
    const unreachable = await failure(a.call("attachContext", { params: { id: "island-app", entityId: "org-ctx" }, body: {} }));
    expect(unreachable.status).toBe(409);
    expect(unreachable.message).toContain("cannot reach");
    // A writer of the child may attach too (attaching needs write on the stack), a reader may not.
    const reader = await userWithRole(t, "squad-reader", [{ spaceId: "squad", role: "read" }]);
    expect((await failure(t.client(reader.key).call("attachContext", { params: { id: "squad-app", entityId: "org-ctx" }, body: {} }))).status).toBe(403);
  });
});
