/**
 * The registry token sweeper, on both dialects: the background subsystem deletes a person's
 * registry token (terraform login) once it has expired and a run's once its run has ended,
 * and leaves the tokens that still work. Tokens are obtained as terraform obtains them (the
 * login.v1 code exchange, a worker's claim); the server's clock is moved to expire one.
 */
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects, dumpTable, startTestServer, type TestServer, userWithRole } from "./harness.js";
import { registryGet } from "./registry-client.js";
import { protocolWorker, type ProtocolWorker } from "./worker-protocol.js";

const DAY_MS = 86_400_000;

function postForm(base: string, ca: string, path: string, form: Record<string, string>): Promise<{ status: number; location: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: "POST", ca, headers: { "content-type": "application/x-www-form-urlencoded" } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ""), body }));
    });
    req.on("error", reject);
    req.end(new URLSearchParams(form).toString());
  });
}

describe.each(dialects)("registry token sweeper (%s)", (dialect) => {
  let t: TestServer;
  let w: ProtocolWorker;
  let ca: string;
  let https: string;
  let offsetMs = 0;
  const tokenIds = async () => (JSON.parse(await dumpTable(t, "registry_tokens")) as { id: string }[]).map((r) => r.id).sort();
  const idOf = (token: string) => /^gr[ta]_([0-9A-Za-z]+)_/.exec(token)![1]!;
  const runApiTokenIds = async () => (JSON.parse(await dumpTable(t, "run_api_tokens")) as { id: string }[]).map((r) => r.id).sort();

  beforeAll(async () => {
    t = await startTestServer(dialect, { settings: { httpsPort: 0, workerHeartbeatTimeoutSeconds: 3600 }, clock: () => new Date(Date.now() + offsetMs) });
    ca = t.server.registry.caCertificatePem!;
    https = t.server.httpsUrl!;
    w = await protocolWorker(t);
    await t.admin.call("createStack", { body: { id: "app", name: "app", repository: "/srv/app.git", administrative: true } });
  });
  afterAll(() => t?.stop());

  /** terraform login's code exchange, driven by hand: a person's registry token. */
  async function personToken(apiKey: string): Promise<string> {
    const verifier = randomBytes(32).toString("base64url");
    const params = { response_type: "code", client_id: "terraform-cli", redirect_uri: "http://localhost:10000/login", state: "s", code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" };
    const approved = await postForm(https, ca, "/oauth/authorization", { ...params, api_key: apiKey });
    expect(approved.status).toBe(302);
    const code = new URL(approved.location).searchParams.get("code")!;
    const exchanged = await postForm(https, ca, "/oauth/token", { grant_type: "authorization_code", client_id: "terraform-cli", redirect_uri: params.redirect_uri, code, code_verifier: verifier });
    expect(exchanged.status, exchanged.body).toBe(200);
    return (JSON.parse(exchanged.body) as { access_token: string }).access_token;
  }

  it("is a background subsystem that deletes the tokens of ended runs and expired people's tokens, and nothing else", async () => {
    expect(t.server.subsystems().map((s) => s.name)).toContain("registry-token-sweeper");
    const person = await userWithRole(t, "grace", [{ spaceId: "root", role: "read" }]);
    const login = await personToken(person.key);
    // A run that ended, and one still executing: each got a registry token with its job.
    const ended = await t.admin.call("createRun", { params: { id: "app" }, body: { type: "PROPOSED" } });
    const endedJob = await w.claimRun(ended.id);
    const running = await t.admin.call("createRun", { params: { id: "app" }, body: { type: "PROPOSED" } });
    const runningJob = await w.claimRun(running.id);
    // Both report their lock files' pins before init, as the worker does.
    const pins = async (job: { runId: string; runToken: string }) => {
      const res = await t.raw("POST", `/api/v1/worker/runs/${job.runId}/locked-providers`, { token: job.runToken, body: JSON.stringify({ providers: [{ source: "registry.terraform.io/acme/thing", version: "1.1.0" }] }), headers: { "content-type": "application/json" } });
      expect(res.status).toBe(204);
    };
    await pins(endedJob);
    await pins(runningJob);
    await w.report(runningJob, "INITIALIZING");
    await w.report(endedJob, "INITIALIZING");
    await w.report(endedJob, "FAILED", { note: "done" });
    const [endedToken, runningToken] = [endedJob.registryToken!, runningJob.registryToken!];
    expect(await tokenIds()).toEqual([idOf(login), idOf(endedToken), idOf(runningToken)].sort());
    // The stack is administrative: each run also got a token for Gantry's public API.
    const [endedApi, runningApi] = [(endedJob as { apiToken?: string }).apiToken!, (runningJob as { apiToken?: string }).apiToken!];
    expect(await runApiTokenIds()).toEqual([idOf(endedApi), idOf(runningApi)].sort());

    await t.server.registryTokenSweeperForTests!.runNow();
    expect(await tokenIds()).toEqual([idOf(login), idOf(runningToken)].sort());
    // The ended run's provider pins went with its token; the executing run still reads its own.
    expect((JSON.parse(await dumpTable(t, "run_provider_pins")) as { run_id: string }[]).map((r) => r.run_id)).toEqual([running.id]);
    expect(await runApiTokenIds()).toEqual([idOf(runningApi)]);
    expect((await t.raw("GET", "/api/v1/me", { token: runningApi })).status).toBe(200);
    // What is left still works: a missing provider is a 404 (a dead token would be a 401).
    expect((await registryGet(https, ca, "/v1/providers/nobody/nothing/versions", runningToken)).status).toBe(404);
    expect((await registryGet(https, ca, "/v1/providers/nobody/nothing/versions", login)).status).toBe(404);

    // 90 days on, the person's token has expired: swept, and gone from their list.
    offsetMs = 91 * DAY_MS;
    await t.server.registryTokenSweeperForTests!.runNow();
    expect(await tokenIds()).toEqual([idOf(runningToken)]);
    expect((await t.client(person.key).call("listRegistryTokens", {})).items).toEqual([]);
    await w.report(runningJob, "FAILED", { note: "done" });
    await t.server.registryTokenSweeperForTests!.runNow();
    expect(await tokenIds()).toEqual([]);
    expect(JSON.parse(await dumpTable(t, "run_provider_pins"))).toEqual([]);
    expect(await runApiTokenIds()).toEqual([]);
  });
});
