/**
 * Walks every route of the API (taken from the OpenAPI document, so a new route cannot be
 * forgotten) as an anonymous caller, a reader and a writer of the target's space, and an admin
 * of a sibling space, and checks each gets exactly what its role allows.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { endpoints, type Endpoint } from "@gantry/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, startTestServer, userWithRole, type TestServer } from "./harness.js";
import { planToUnconfirmed, protocolWorker, type ProtocolWorker } from "./worker-protocol.js";
import { makeRepo, type Repo } from "../../worker/test/fixtures.js";
import { authorKey, publishBody, type AuthorKey } from "./provider-fixtures.js";

type Caller = "anonymous" | "reader" | "writer" | "siblingAdmin" | "admin";
const rank = { read: 1, write: 2, admin: 3 } as const;

/** A gzipped tar holding one file, `main.tf`: the smallest valid local-preview upload. */
const localArchive = gzipSync(Buffer.concat([tarHeader("main.tf", 0), Buffer.alloc(1024)])).toString("base64");

function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  h.write("00000000000\0", 136);
  h.write("        ", 148);
  h.write("0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

describe.each(dialects)("authorization of every route (%s)", (dialect) => {
  let t: TestServer;
  const tokens: Partial<Record<Caller, string>> = {};
  const ids: Record<string, string> = {};
  let counter = 0;
  let worker: ProtocolWorker;
  /** A git repository with a module tagged v1.0.0, for the module routes. */
  let moduleRepo: Repo;
  /** Provider routes: n1 (key k1 signs p1 1.0.0; a spare key to delete), n2 (empty, to delete), keys to add. */
  let signer: AuthorKey;
  let spareKey: AuthorKey;
  const addableKeys: AuthorKey[] = [];
  let provider1: Awaited<ReturnType<typeof publishBody>>;
  let provider2: Awaited<ReturnType<typeof publishBody>>;

  /** (Re)creates the entities routes act on; authorized deletes remove them between routes. */
  async function ensureFixtures() {
    const a = t.admin;
    const exists = async (fn: () => Promise<unknown>) => fn().then(() => true, () => false);
    if (!(await exists(() => a.call("getUser", { params: { id: ids.spare! } })))) {
      ids.spare = (await a.call("createUser", { body: { username: `spare${++counter}`, password: "correct horse battery" } })).id;
    }
    if (!(await exists(() => a.call("getSpace", { params: { id: "team" } })))) await a.call("createSpace", { body: { id: "team", name: "team" } });
    if (!(await exists(() => a.call("getSpace", { params: { id: "team-child" } })))) await a.call("createSpace", { body: { id: "team-child", name: "child", parentSpaceId: "team" } });
    if (!(await exists(() => a.call("getStack", { params: { id: "s1" } })))) await a.call("createStack", { body: { id: "s1", name: "s1", spaceId: "team", repository: "/srv/infra.git", enableLocalPreview: true } });
    if (!(await exists(() => a.call("getContext", { params: { id: "c1" } })))) await a.call("createContext", { body: { id: "c1", name: "c1", spaceId: "team" } });
    if (!(await exists(() => a.call("getPolicy", { params: { id: "p1" } })))) await a.call("createPolicy", { body: { id: "p1", name: "p1", spaceId: "team", type: "PLAN", body: "package spacelift" } });
    if (!(await exists(() => a.call("getVcsIntegration", { params: { id: "v1" } })))) await a.call("createVcsIntegration", { body: { id: "v1", name: "v1", spaceId: "team", provider: "RAW_GIT" } });
    if (!(await exists(() => a.call("getAwsIntegration", { params: { id: "i1" } })))) await a.call("createAwsIntegration", { body: { id: "i1", name: "i1", spaceId: "team", roleArn: "arn:aws:iam::123456789012:role/deployer" } });
    for (const owner of ["stack", "context"] as const) {
      const id = owner === "stack" ? "s1" : "c1";
      await a.call(owner === "stack" ? "putStackVariable" : "putContextVariable", { params: { id, name: "V" }, body: { value: "x" } });
      await a.call(owner === "stack" ? "putStackFile" : "putContextFile", { params: { id }, body: { relativePath: "f.txt", content: "eA==" } });
    }
    await a.call("attachContext", { params: { id: "s1", entityId: "c1" }, body: {} });
    await a.call("attachPolicy", { params: { id: "s1", entityId: "p1" } });
    await a.call("attachAwsIntegration", { params: { id: "s1", entityId: "i1" }, body: {} });
    const bindings = await a.call("listRoleBindings", { query: { spaceId: "team-child" } });
    if (bindings.items.length === 0) {
      ids.binding = (await a.call("createRoleBinding", { body: { spaceId: "team-child", role: "read", subjectType: "user", subjectId: ids.spare! } })).id;
    } else ids.binding = bindings.items[0]!.id;
    const teams = await a.call("listTeams", {});
    ids.team = teams.items.find((x) => x.name === "t1")?.id ?? (await a.call("createTeam", { body: { name: "t1" } })).id;
    await a.call("unlockStack", { params: { id: "s1" } });
    if (!(await exists(() => a.call("getWorkerPool", { params: { id: "wp1" } })))) await a.call("createWorkerPool", { body: { id: "wp1", name: "wp1", spaceId: "team" } });
    await a.call("putDriftDetection", { params: { id: "s1" }, body: { schedule: ["0 * * * *"] } });
    const schedules = await a.call("listSchedules", { params: { id: "s1" } });
    ids.schedule = schedules.items[0]?.id ?? (await a.call("createSchedule", { params: { id: "s1" }, body: { kind: "TASK", command: "echo", every: ["0 3 * * *"] } })).id;
    if (!(await exists(() => a.call("getWebhook", { params: { id: "w1" } })))) {
      await a.call("createWebhook", { body: { id: "w1", name: "w1", spaceId: "team", endpoint: "http://127.0.0.1:9/hook", labels: ["autoattach:*"] } });
      // A delivery to redeliver: the transitions of a canceled run of s1.
      const run = await a.call("createRun", { params: { id: "s1" }, body: { type: "PROPOSED" } });
      await a.call("cancelRun", { params: { id: run.id } });
      await t.server.notificationsForTests!.drained();
      ids.delivery = (await a.call("listWebhookDeliveries", { params: { id: "w1" } })).items[0]!.id;
    }
    if (!(await a.call("listSlackIntegrations", {})).items.some((x) => x.id === "sl1")) await a.call("createSlackIntegration", { body: { id: "sl1", name: "sl1", spaceId: "team", botToken: "xoxb-test" } });
    // Stack dependencies: s3 depends on s2 and reads one of its outputs (not s1: s2 never
    // applied, so the reference would fail s1's runs at start).
    for (const id of ["s2", "s3"]) {
      if (!(await exists(() => a.call("getStack", { params: { id } })))) await a.call("createStack", { body: { id, name: id, spaceId: "team", repository: "/srv/infra.git" } });
    }
    const deps = await a.call("listStackDependencies", { params: { id: "s3" } });
    const dep = deps.dependsOn.find((d) => d.dependsOnStackId === "s2") ?? (await a.call("createStackDependency", { params: { id: "s3" }, body: { dependsOnStackId: "s2" } }));
    ids.dependency = dep.id;
    ids.reference = dep.references[0]?.id ?? (await a.call("createStackDependencyReference", { params: { id: "s3" }, body: { dependencyId: dep.id, outputName: "out", inputName: "TF_VAR_out" } })).id;
    if (!(await exists(() => a.call("getModule", { params: { id: "m1" } })))) await a.call("createModule", { body: { id: "m1", name: "m1", terraformProvider: "aws", spaceId: "team", repository: moduleRepo.path } });
    await a.call("updateModuleVersion", { params: { id: "m1", version: "1.0.0" }, body: { state: "ACTIVE" } });
    if (!(await exists(() => a.call("getProviderNamespace", { params: { id: "n1" } })))) {
      await a.call("createProviderNamespace", { body: { id: "n1", spaceId: "team" } });
      await a.call("addProviderGpgKey", { params: { id: "n1" }, body: { asciiArmor: signer.publicKey } });
    }
    if (!(await a.call("getProviderNamespace", { params: { id: "n1" } })).keys.some((k) => k.keyId === spareKey.keyId)) await a.call("addProviderGpgKey", { params: { id: "n1" }, body: { asciiArmor: spareKey.publicKey } });
    await a.call("publishProviderVersion", { params: { id: "n1", type: "p1" }, body: provider1 });
    if (!(await exists(() => a.call("getProviderNamespace", { params: { id: "n2" } })))) await a.call("createProviderNamespace", { body: { id: "n2", spaceId: "team" } });
    // A person's registry token (terraform login) of the admin, for the revoke route.
    const tokens = (await a.call("listRegistryTokens", {})).items;
    ids.registryToken = tokens[0]?.id ?? (await loginRegistryToken());
    await a.call("attachModuleContext", { params: { id: "m1", entityId: "c1" }, body: {} });
    await a.call("attachModulePolicy", { params: { id: "m1", entityId: "p1" } });
    const keys = await a.call("listApiKeys", {});
    ids.adminKey = keys.items.find((k) => k.name === "spare")?.id ?? (await a.call("createApiKey", { body: { name: "spare" } })).apiKey.id;
  }

  beforeAll(async () => {
    // The hand-driven worker never heartbeats: on a loaded machine the walk outlasts the default 60 s.
    t = await startTestServer(dialect, { settings: { workerHeartbeatTimeoutSeconds: 3600 } });
    moduleRepo = makeRepo({ "main.tf": "output \"x\" {\n  value = 1\n}\n" });
    moduleRepo.git("tag", "v1.0.0");
    signer = await authorKey("signer");
    spareKey = await authorKey("spare");
    for (let i = 0; i < 4; i++) addableKeys.push(await authorKey(`added${i}`));
    provider1 = await publishBody(signer, "p1", "1.0.0");
    provider2 = await publishBody(signer, "p1", "2.0.0");
    tokens.admin = t.adminKey;
    ids.spare = (await t.admin.call("createUser", { body: { username: "spare", password: "correct horse battery" } })).id;
    await t.admin.call("createSpace", { body: { id: "sibling", name: "sibling" } });
    await ensureFixtures();
    tokens.reader = (await userWithRole(t, "reader", [{ spaceId: "team", role: "read" }])).key;
    tokens.writer = (await userWithRole(t, "writer", [{ spaceId: "team", role: "write" }])).key;
    tokens.siblingAdmin = (await userWithRole(t, "sibadmin", [{ spaceId: "sibling", role: "admin" }])).key;
    worker = await protocolWorker(t);
    // A failed run in `team`: an inbox message to act on.
    const failed = await t.admin.call("createRun", { params: { id: "s1" }, body: { type: "PROPOSED" } });
    await worker.report(await worker.claimRun(failed.id), "FAILED", { note: "for the inbox" });
    await t.server.notificationsForTests!.drained();
    ids.notification = (await t.admin.call("listNotifications", {})).items.find((i) => i.runId === failed.id)!.id;
  });

  /** Drives terraform's login protocol (login.v1) for the admin, over the plain port; returns the token's id. */
  async function loginRegistryToken(): Promise<string> {
    const verifier = "v".repeat(43);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const form = { response_type: "code", client_id: "terraform-cli", redirect_uri: "http://localhost:10000/login", state: "s", code_challenge: challenge, code_challenge_method: "S256" };
    const approve = await fetch(`${t.url}/oauth/authorization`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ ...form, api_key: t.adminKey }) });
    const code = new URL(approve.headers.get("location")!).searchParams.get("code")!;
    await fetch(`${t.url}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "authorization_code", client_id: "terraform-cli", redirect_uri: form.redirect_uri, code, code_verifier: verifier }) });
    return (await t.admin.call("listRegistryTokens", {})).items[0]!.id;
  }

  /** Puts a run in the state a run action needs (a fresh one per caller, since allowed actions consume it). */
  async function prepareRun(name: string): Promise<void> {
    const a = t.admin;
    // The walk can outlast the heartbeat timeout on a loaded machine: keep the test worker alive.
    await worker.heartbeat([]);
    // A fresh worker for each action that needs one: on a loaded machine the walk outlasts the
    // heartbeat timeout, and the reaper declares a silent worker gone.
    if (["stopRun", "confirmRun", "discardRun"].includes(name)) worker = await protocolWorker(t);
    const proposed = () => a.call("createRun", { params: { id: "s1" }, body: { type: "PROPOSED" } });
    if (name === "lockStack") await a.call("unlockStack", { params: { id: "s1" } });
    if (["listStateVersions", "getStateVersion", "rollbackState", "importState", "stackResources"].includes(name)) {
      if (!ids.version) {
        await a.call("createStack", { body: { id: "sv", name: "sv", spaceId: "team", repository: "/srv/infra.git" } });
        const doc = JSON.stringify({ version: 4, serial: 1, lineage: "l", resources: [], outputs: {} });
        await fetch(`${t.url}/state/sv`, { method: "POST", headers: { authorization: `Basic ${Buffer.from(`x:${t.adminKey}`).toString("base64")}` }, body: doc });
        await a.call("lockStack", { params: { id: "sv" }, body: {} });
        ids.version = (await a.call("listStateVersions", { params: { id: "sv" } })).items[0]!.id;
      }
    }
    if (name === "createStackDependency") {
      ids.upstream = `up${++counter}`;
      await a.call("createStack", { body: { id: ids.upstream, name: ids.upstream, spaceId: "team", repository: "/srv/infra.git" } });
    }
    if (["getRun", "runLogs", "cancelRun", "reviewRun", "getRunPlan"].includes(name)) ids.run = (await proposed()).id;
    if (name === "explainRunPolicy") {
      // A planned run of s1, so p1 (attached to s1) left a receipt to explain.
      ids.run = (await proposed()).id;
      const job = await worker.claimRun(ids.run);
      await worker.report(job, "INITIALIZING");
      await worker.report(job, "PLANNING");
      await worker.plan(job, { added: 0, changed: 0, deleted: 0 });
    }
    if (name === "retryRun") {
      ids.run = (await proposed()).id;
      await a.call("cancelRun", { params: { id: ids.run } });
    }
    if (name === "stopRun") {
      ids.run = (await proposed()).id;
      await worker.claimRun(ids.run);
    }
    if (name === "confirmRun" || name === "discardRun") {
      const stack = await a.call("createStack", { body: { name: `ar${++counter}`, spaceId: "team", repository: "/srv/infra.git" } });
      ids.run = (await a.call("createRun", { params: { id: stack.id }, body: { type: "TRACKED" } })).id;
      await planToUnconfirmed(worker, ids.run);
    }
  }
  afterAll(() => t?.stop());

  /** A valid request for each route, aimed at the fixtures in space `team`. */
  function request(name: string, e: Endpoint): { path: string; body?: unknown; query?: string } {
    const n = ++counter;
    const idFor: Record<string, string> = {
      spaces: "team-child", stacks: "s1", dependencies: "s3", contexts: "c1", policies: "p1", integrations: "i1", vcs: "v1", planned: "s1", drift: "s1", schedules: "s1", runs: ids.run ?? "", workers: "wp1", state: "sv",
      webhooks: "w1", slack: "sl1", notifications: ids.notification ?? "", modules: "m1", providers: name === "deleteProviderNamespace" ? "n2" : "n1", registry: ids.registryToken ?? "",
    };
    let id = idFor[e.tag] ?? "";
    if (name === "createRun" || name === "listStackRuns" || name === "createLocalPreview") id = "s1";
    if (name === "deployStack") id = "s2";
    if (e.tag === "users") id = name.includes("Team") ? ids.team! : name.includes("RoleBinding") ? ids.binding! : name.includes("ApiKey") ? ids.adminKey! : ids.spare!;
    const entityId = name.includes("Context") ? "c1" : name.includes("Policy") ? "p1" : "i1";
    const path = e.path.replace("{id}", id).replace("{entityId}", entityId).replace("{name}", "V").replace("{userId}", ids.spare!).replace("{versionId}", ids.version ?? "").replace("{scheduleId}", ids.schedule ?? "").replace("{deliveryId}", ids.delivery ?? "").replace("{dependencyId}", ids.dependency ?? "").replace("{referenceId}", ids.reference ?? "").replace("{version}", "1.0.0").replace("{policyId}", "p1").replace("{type}", "p1").replace("{keyId}", spareKey.keyId);
    const bodies: Record<string, unknown> = {
      login: { username: "reader", password: "correct horse battery" },
      createSpace: { name: `sp${n}`, parentSpaceId: "team" },
      updateSpace: { description: `d${n}` },
      createStack: { name: `st${n}`, spaceId: "team", repository: "/srv/infra.git" },
      updateStack: { description: `d${n}` },
      putStackVariable: { value: "v" }, putContextVariable: { value: "v" },
      putStackFile: { relativePath: "f.txt", content: "eA==" }, putContextFile: { relativePath: "f.txt", content: "eA==" },
      attachContext: {}, attachAwsIntegration: {}, attachModuleContext: {},
      createContext: { name: `ctx${n}`, spaceId: "team" }, updateContext: { description: `d${n}` },
      createPolicy: { name: `pol${n}`, spaceId: "team", type: "PLAN", body: "package spacelift" }, updatePolicy: { description: `d${n}` }, simulatePolicy: {},
      createAwsIntegration: { name: `int${n}`, spaceId: "team", roleArn: "arn:aws:iam::123456789012:role/x" }, updateAwsIntegration: { durationSeconds: 1800 },
      createUser: { username: `user${n}`, password: "correct horse battery" }, updateUser: { displayName: `u${n}` },
      createTeam: { name: `team${n}` },
      createRoleBinding: { spaceId: "team", role: "read", subjectType: "user", subjectId: ids.spare },
      createApiKey: { name: `k${n}` },
      createRun: { type: "PROPOSED" }, lockStack: {}, createLocalPreview: { archiveBase64: localArchive }, reviewRun: { decision: "approve" },
      createWorkerPool: { name: `wp${n}`, spaceId: "team" },
      createVcsIntegration: { name: `vcs${n}`, spaceId: "team", provider: "RAW_GIT" }, updateVcsIntegration: { description: `d${n}` },
      notifyVcs: { repository: "/srv/infra.git", ref: "refs/heads/main", before: "a".repeat(40), after: "b".repeat(40) },
      createStackDependency: { dependsOnStackId: ids.upstream }, createStackDependencyReference: { dependencyId: ids.dependency, outputName: "out", inputName: `TF_VAR_o${n}` }, deployStack: {},
      createModule: { name: `mod${n}`, terraformProvider: "aws", spaceId: "team", repository: moduleRepo.path }, updateModule: { description: `d${n}` },
      publishModuleVersion: { ref: "v1.0.0" }, updateModuleVersion: { state: "YANKED" },
      putDriftDetection: { schedule: ["0 * * * *"] }, createSchedule: { kind: "TASK", command: "echo", every: ["0 4 * * *"] },
      createWebhook: { name: `wh${n}`, spaceId: "team", endpoint: "http://127.0.0.1:9/hook" }, updateWebhook: { enabled: true },
      createSlackIntegration: { name: `slack${n}`, spaceId: "team", botToken: "xoxb-test" },
      createRegistryToken: { description: `walk ${n}` },
      createProviderNamespace: { id: `ns${n}`, spaceId: "team" }, addProviderGpgKey: { asciiArmor: addableKeys[n % addableKeys.length]!.publicKey },
      publishProviderVersion: provider2, updateProviderVersion: { yanked: true },
      checkPolicy: { body: "package spacelift\ndeny contains \"no\" if false", type: "PLAN" },
      // A newer serial of sv's lineage each time, so every allowed caller's import succeeds.
      importState: { state: { version: 4, serial: 100 + n, lineage: "l", resources: [], outputs: {} } },
    };
    const query = name.endsWith("File") && e.method === "DELETE" ? "?path=f.txt" : "";
    return { path, body: e.body ? bodies[name] : undefined, query };
  }

  /** What a caller must get: "ok" (a 2xx), or the refusal status. */
  function expected(name: string, e: Endpoint, caller: Caller): "ok" | 401 | 403 | 501 {
    if (e.access.kind === "public") return "ok";
    if (caller === "anonymous") return 401;
    if (e.notYet) return 501;
    if (caller === "admin" || e.access.kind === "authenticated") {
      // Revoking someone else's API key is for root admins only.
      if (name === "deleteApiKey" && caller !== "admin") return 403;
      // So is revoking someone else's registry token (the fixture is the admin's).
      if (name === "deleteRegistryToken" && caller !== "admin") return 403;
      return "ok";
    }
    if (e.access.root) return 403;
    const held = caller === "reader" ? rank.read : caller === "writer" ? rank.write : 0;
    // Attaching needs write on the stack and read on the entity: both held in `team` by a writer.
    return held >= rank[e.access.role] ? "ok" : 403;
  }

  const callers: Caller[] = ["anonymous", "siblingAdmin", "reader", "writer", "admin"];
  const all = Object.entries(endpoints) as [string, Endpoint][];

  it.each(all.map(([name]) => name))("%s", async (name) => {
    const e = endpoints[name as keyof typeof endpoints] as Endpoint;
    for (const caller of callers) {
      await prepareRun(name);
      const req = request(name, e);
      if ((name === "logout" || name === "refreshSession") && caller !== "anonymous") {
        // Logout ends a session and refresh renews one, so each caller logs in first.
        const username = caller === "siblingAdmin" ? "sibadmin" : caller;
        if (caller === "admin") continue;
        const s = await t.admin.call("login", { body: { username, password: "correct horse battery" } }).catch(() => undefined);
        if (!s) continue;
        const res = await t.raw("POST", req.path, { token: s.token });
        expect(res.status, `${name} as ${caller}: ${JSON.stringify(res.json)}`).toBe(name === "logout" ? 204 : 200);
        continue;
      }
      const res = await t.raw(e.method, req.path + (req.query ?? ""), { token: tokens[caller as Exclude<Caller, "anonymous">], body: req.body === undefined ? undefined : JSON.stringify(req.body) });
      const want = expected(name, e, caller);
      if (want === "ok") expect(res.status, `${name} as ${caller}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
      else {
        expect(res.status, `${name} as ${caller}: ${JSON.stringify(res.json)}`).toBe(want);
        expect((res.json as { error: { code: string } }).error.code).toBe({ 401: "unauthenticated", 403: "forbidden", 501: "not_supported" }[want]);
      }
      if (want === "ok" && e.method === "DELETE") await ensureFixtures();
    }
    await ensureFixtures();
  });

  it("filters lists to what the caller may read", async () => {
    const asSibling = t.client(tokens.siblingAdmin);
    const stacks = await asSibling.call("listStacks", { query: {} });
    expect(stacks.items.map((s) => s.spaceId)).not.toContain("team");
    const spaces = await asSibling.call("listSpaces", { query: {} });
    expect(spaces.items.map((s) => s.id)).toEqual(["sibling"]);
    const asReader = t.client(tokens.reader);
    const readable = await asReader.call("listStacks", { query: {} });
    expect(readable.items.map((s) => s.id)).toContain("s1");
    expect((await asReader.call("listAuditEvents", { query: {} })).items).toEqual([]);
  });
});
