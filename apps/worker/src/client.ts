import { workerEndpoints, type Endpoint, type EndpointInput, type EndpointOutput } from "@gantry/contract";
import { WorkerError } from "./errors.js";

type W = typeof workerEndpoints;

/** An answer of the server that refused a call; `status` tells the worker whether to give up. */
export class ServerRefusal extends WorkerError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super("server", message);
  }
}

/**
 * Failures that say nothing about the request itself: no server answered (status 0), a proxy
 * found none (502, 504), or the server's database is away (503). Another replica, or the same
 * one a little later, may well succeed.
 */
export const transientStatus = (status: number): boolean => status === 0 || status === 502 || status === 503 || status === 504;

/** The calls of a run that must land whatever the weather: losing one strands or misreports the run. */
const mustLand = new Set<keyof W>(["reportTransition", "reportPlan", "reportChanges", "reportPlanJson", "reportOutputs", "appendLogs"]);

export interface WorkerApiOptions {
  /**
   * How long a run's reports and artifacts are retried through transient failures, moving to the
   * next server URL each time (default 5 minutes: a database restart or a replica replaced).
   */
  retryForMs?: number;
  /** Said once per failed attempt that will be retried, e.g. to the worker's log. */
  onRetry?: (err: ServerRefusal) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The worker's side of the protocol: pool calls with the pool token, run calls with the run's
 * own token. Only this talks to the server, so the same executor runs in-process or remote.
 *
 * Given several server URLs (replicas), it sticks to one while it answers and moves to the next
 * when it does not; a run's reports are retried for a while through transient failures, so a
 * replica dying or the database restarting does not lose what the run did.
 */
export class WorkerApi {
  private readonly urls: string[];
  private current = 0;

  constructor(
    baseUrls: string | readonly string[],
    private readonly poolToken: string,
    private readonly opts: WorkerApiOptions = {},
  ) {
    this.urls = (typeof baseUrls === "string" ? baseUrls.split(",") : [...baseUrls]).map((u) => u.trim().replace(/\/+$/, "")).filter(Boolean);
    if (!this.urls.length) throw new WorkerError("server", "no Gantry server URL given: pass one or more, comma-separated");
  }

  /** The server URL in use now (terraform's state backend and the run's API address derive from it). */
  get baseUrl(): string {
    return this.urls[this.current]!;
  }

  async call<K extends keyof W>(name: K, input: EndpointInput<W[K]>, runToken?: string, signal?: AbortSignal): Promise<EndpointOutput<W[K]>> {
    const e = workerEndpoints[name] as Endpoint;
    const { params, body } = input as { params?: Record<string, string>; body?: unknown };
    const path = e.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params?.[k] ?? ""));
    const init = { method: e.method, headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}), signal };
    const res = await (mustLand.has(name) ? this.fetchPersistently(path, init, runToken) : this.fetch(path, init, runToken));
    if (res.status === 204) return undefined as EndpointOutput<W[K]>;
    return (await res.json()) as EndpointOutput<W[K]>;
  }

  async putArtifact(runId: string, kind: "plan-file" | "workspace", data: Buffer, runToken: string): Promise<void> {
    await this.fetchPersistently(`/api/v1/worker/runs/${runId}/artifacts/${kind}`, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: data }, runToken);
  }

  async getArtifact(runId: string, kind: "plan-file" | "workspace" | "source", runToken: string): Promise<Buffer> {
    const res = await this.fetchPersistently(`/api/v1/worker/runs/${runId}/artifacts/${kind}`, { method: "GET" }, runToken);
    return Buffer.from(await res.arrayBuffer());
  }

  /**
   * Retries transient failures with backoff (0.5 s doubling to 5 s) for `retryForMs`. A report
   * the server refuses for a reason (4xx) is not retried: repeating it would not change the answer.
   */
  private async fetchPersistently(path: string, init: RequestInit, runToken?: string): Promise<Response> {
    const deadline = Date.now() + (this.opts.retryForMs ?? 5 * 60_000);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.fetch(path, init, runToken);
      } catch (err) {
        if (!(err instanceof ServerRefusal) || !transientStatus(err.status) || Date.now() >= deadline) throw err;
        this.opts.onRetry?.(err);
        await sleep(Math.min(5000, 500 * 2 ** attempt));
      }
    }
  }

  private async fetch(path: string, init: RequestInit, runToken?: string): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${runToken ?? this.poolToken}` };
    const url = this.baseUrl;
    let res: Response;
    try {
      res = await fetch(url + path, { ...init, headers });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      this.failOver(url);
      throw new ServerRefusal(0, `cannot reach the Gantry server at ${url}: ${String((err as Error).cause ?? (err as Error).message)}`);
    }
    if (!res.ok) {
      if (transientStatus(res.status)) this.failOver(url);
      const text = await res.text();
      let message = text.slice(0, 500);
      try {
        message = (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        // not the envelope: keep the raw text
      }
      throw new ServerRefusal(res.status, `${init.method ?? "GET"} ${path} answered ${res.status}: ${message}`);
    }
    return res;
  }

  /** Moves to the next URL, unless a concurrent call already moved away from the failed one. */
  private failOver(failed: string): void {
    if (this.urls.length > 1 && this.baseUrl === failed) this.current = (this.current + 1) % this.urls.length;
  }
}
