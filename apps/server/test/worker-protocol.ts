/**
 * Drives runs through the real worker protocol over HTTP, for tests that need a run in a given
 * state without executing terraform (authorization, scheduling). The server is the real one.
 */
import type { Job, RunDelta, RunState } from "@gantry/contract";
import type { TestServer } from "./harness.js";

export interface ProtocolWorker {
  baseUrl: string;
  workerId: string;
  token: string;
  claim(waitMs?: number): Promise<Job | null>;
  /** Claims until it gets `runId`, failing any other run it is handed on the way. */
  claimRun(runId: string): Promise<Job>;
  report(job: Job, to: RunState, extra?: { note?: string; commitSha?: string }): Promise<{ status: number; json: unknown }>;
  plan(job: Job, delta: Omit<RunDelta, "outputs"> & { outputs?: number }): Promise<{ next: RunState; reason: string | null }>;
  heartbeat(runIds: string[]): Promise<{ stopRunIds: string[] }>;
}

/** A worker speaking the protocol by hand, in the built-in pool or (with `poolToken`) a private one. */
export async function protocolWorker(t: TestServer, name = "test-worker", poolToken?: string): Promise<ProtocolWorker> {
  const token = poolToken ?? (await t.server.mintWorkerToken());
  const post = async (path: string, body: unknown, tok = token) => t.raw("POST", path, { token: tok, body: JSON.stringify(body) });
  const reg = await post("/api/v1/worker/register", { name });
  if (reg.status !== 200) throw new Error(`register failed: ${JSON.stringify(reg.json)}`);
  const workerId = (reg.json as { workerId: string }).workerId;
  const w: ProtocolWorker = {
    baseUrl: t.url,
    workerId,
    token,
    async claim(waitMs = 0) {
      const res = await post(`/api/v1/worker/${workerId}/claim`, { waitMs });
      if (res.status !== 200) throw new Error(`claim failed: ${JSON.stringify(res.json)}`);
      return (res.json as { job: Job | null }).job;
    },
    async claimRun(runId) {
      for (;;) {
        const job = await w.claim(0);
        if (!job) throw new Error(`run ${runId} was not claimable`);
        if (job.runId === runId) return job;
        await w.report(job, "FAILED", { note: "set aside by a test" });
      }
    },
    report: (job, to, extra = {}) => post(`/api/v1/worker/runs/${job.runId}/transition`, { to, ...extra }, job.runToken),
    async plan(job, delta) {
      const res = await post(`/api/v1/worker/runs/${job.runId}/plan`, { delta, planJson: null }, job.runToken);
      if (res.status !== 200) throw new Error(`plan report failed: ${JSON.stringify(res.json)}`);
      return res.json as { next: RunState; reason: string | null };
    },
    async heartbeat(runIds) {
      const res = await post(`/api/v1/worker/${workerId}/heartbeat`, { runIds });
      return res.json as { stopRunIds: string[] };
    },
  };
  return w;
}

/** Takes a freshly created TRACKED run through planning with changes: it ends UNCONFIRMED (no autodeploy). */
export async function planToUnconfirmed(w: ProtocolWorker, runId: string): Promise<Job> {
  const job = await w.claimRun(runId);
  await w.report(job, "INITIALIZING");
  await w.report(job, "PLANNING");
  await w.plan(job, { added: 1, changed: 0, deleted: 0 });
  // Saving the workspace releases the run from its planning worker.
  const put = await fetch(`${w.baseUrl}/api/v1/worker/runs/${runId}/artifacts/workspace`, {
    method: "PUT", headers: { authorization: `Bearer ${job.runToken}`, "content-type": "application/octet-stream" }, body: Buffer.from("not really a tarball"),
  });
  if (put.status !== 204) throw new Error(`workspace upload failed: ${await put.text()}`);
  return job;
}
