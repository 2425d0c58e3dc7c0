/**
 * What a root admin does to someone's credentials through the API (what the web UI's user page
 * and API keys page send), on both dialects: a new password ends the account's sessions and
 * keeps its keys, never stored or audited plain; a key's lifetime in days; a key made for
 * another user acts as that user. Refusals name their field and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, failure, startTestServer, type TestServer, userWithRole } from "./harness.js";

const DAY_MS = 86_400_000;

describe.each(dialects)("account credentials set by a root admin (%s)", (dialect) => {
  let t: TestServer;
  let dana: { id: string; key: string };
  let spaceAdminKey: string;

  beforeAll(async () => {
    t = await startTestServer(dialect);
    await t.admin.call("createSpace", { body: { id: "team", name: "team" } });
    dana = await userWithRole(t, "dana", [{ spaceId: "team", role: "read" }]);
    spaceAdminKey = (await userWithRole(t, "team-admin", [{ spaceId: "team", role: "admin" }])).key;
  }, 60_000);
  afterAll(async () => t?.stop());

  const fieldOf = (err: { details?: unknown }) => (err.details as { issues?: { path: (string | number)[]; message: string }[] }).issues ?? [];

  it("sets a new password: old sessions end, the old password fails, the new one logs in, keys keep working; nothing plain is kept", async () => {
    const anon = t.client();
    const session = (await anon.call("login", { body: { username: "dana", password: "correct horse battery" } })).token;
    const short = await failure(t.admin.call("updateUser", { params: { id: dana.id }, body: { password: "too short" } }));
    expect(short.status).toBe(422);
    expect(fieldOf(short)).toEqual([expect.objectContaining({ path: ["password"], message: "must be at least 12 characters" })]);
    expect((await t.client(session).call("me", {})).id).toBe(dana.id);

    const updated = await t.admin.call("updateUser", { params: { id: dana.id }, body: { password: "a brand new passphrase" } });
    expect(JSON.stringify(updated)).not.toContain("a brand new passphrase");
    expect((await failure(t.client(session).call("me", {}))).status).toBe(401);
    expect((await failure(anon.call("login", { body: { username: "dana", password: "correct horse battery" } }))).status).toBe(401);
    expect((await anon.call("login", { body: { username: "dana", password: "a brand new passphrase" } })).user.id).toBe(dana.id);
    expect((await t.client(dana.key).call("me", {})).id).toBe(dana.id);
    expect(await dumpTable(t, "users")).not.toContain("a brand new passphrase");
    expect(await dumpTable(t, "audit_events")).not.toContain("a brand new passphrase");
  });

  it("changes and clears a display name, refusing one over 255 characters", async () => {
    const long = await failure(t.admin.call("updateUser", { params: { id: dana.id }, body: { displayName: "d".repeat(256) } }));
    expect(fieldOf(long).map((i) => i.path)).toEqual([["displayName"]]);
    expect((await t.admin.call("updateUser", { params: { id: dana.id }, body: { displayName: "Dana Doe" } })).displayName).toBe("Dana Doe");
    expect((await t.admin.call("getUser", { params: { id: dana.id } })).displayName).toBe("Dana Doe");
    await t.admin.call("updateUser", { params: { id: dana.id }, body: { displayName: "" } });
    expect((await t.admin.call("getUser", { params: { id: dana.id } })).displayName).toBe("");
  });

  it("gives a key the lifetime asked for, or none; refuses a lifetime outside 1-3650 whole days at its field", async () => {
    const before = Date.now();
    const lived = await t.client(dana.key).call("createApiKey", { body: { name: "thirty", expiresInDays: 30 } });
    expect(Date.parse(lived.apiKey.expiresAt!)).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(Date.parse(lived.apiKey.expiresAt!)).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS);
    expect((await t.client(dana.key).call("listApiKeys", {})).items.find((k) => k.id === lived.apiKey.id)?.expiresAt).toBe(lived.apiKey.expiresAt);
    expect((await t.client(lived.secret).call("me", {})).id).toBe(dana.id);
    expect((await t.client(dana.key).call("createApiKey", { body: { name: "forever" } })).apiKey.expiresAt).toBeNull();
    const refusals: [unknown, string][] = [[0, "must be at least 1 day"], [3651, "must be at most 3650 days"], [1.5, "must be a whole number of days"], ["ten", "must be a number of days"]];
    for (const [days, message] of refusals) {
      const err = await failure(t.client(dana.key).call("createApiKey", { body: { name: `bad-${String(days)}`, expiresInDays: days as number } }));
      expect(err.status).toBe(422);
      expect(fieldOf(err)).toEqual([expect.objectContaining({ path: ["expiresInDays"], message: expect.stringContaining(message) as unknown })]);
    }
    expect((await t.admin.call("listApiKeys", {})).items.filter((k) => k.name.startsWith("bad-"))).toEqual([]);
  });

  it("lets a root admin make a key for another user that acts as them; a space admin may not", async () => {
    const made = await t.admin.call("createApiKey", { body: { name: "for-dana", userId: dana.id, expiresInDays: 7 } });
    expect(made.apiKey.userId).toBe(dana.id);
    expect(await t.client(made.secret).call("me", {})).toMatchObject({ kind: "user", id: dana.id, name: "dana" });
    const refused = await failure(t.client(spaceAdminKey).call("createApiKey", { body: { name: "as-dana", userId: dana.id } }));
    expect(refused.status).toBe(403);
    expect((await failure(t.client(spaceAdminKey).call("updateUser", { params: { id: dana.id }, body: { password: "taken over password" } }))).status).toBe(403);
    expect((await t.admin.call("listApiKeys", {})).items.filter((k) => k.name === "as-dana")).toEqual([]);
    const unknown = await failure(t.admin.call("createApiKey", { body: { name: "for-nobody", userId: "nobody" } }));
    expect(unknown.status).toBe(422);
    expect(fieldOf(unknown)).toEqual([expect.objectContaining({ path: ["userId"], message: 'user "nobody" does not exist' })]);
  });
});
