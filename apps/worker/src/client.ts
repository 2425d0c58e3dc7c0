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
 * The worker's side of the protocol: pool calls with the pool token, run calls with the run's
 * own token. Only this talks to the server, so the same executor runs in-process or remote.
 */
export class WorkerApi {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly poolToken: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  async call<K extends keyof W>(name: K, input: EndpointInput<W[K]>, runToken?: string, signal?: AbortSignal): Promise<EndpointOutput<W[K]>> {
    const e = workerEndpoints[name] as Endpoint;
    const { params, body } = input as { params?: Record<string, string>; body?: unknown };
    const path = e.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params?.[k] ?? ""));
    const res = await this.fetch(path, { method: e.method, headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}), signal }, runToken);
    if (res.status === 204) return undefined as EndpointOutput<W[K]>;
    return (await res.json()) as EndpointOutput<W[K]>;
  }

  async putArtifact(runId: string, kind: "plan-file" | "workspace", data: Buffer, runToken: string): Promise<void> {
    await this.fetch(`/api/v1/worker/runs/${runId}/artifacts/${kind}`, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: data }, runToken);
  }

  async getArtifact(runId: string, kind: "plan-file" | "workspace" | "source", runToken: string): Promise<Buffer> {
    const res = await this.fetch(`/api/v1/worker/runs/${runId}/artifacts/${kind}`, { method: "GET" }, runToken);
    return Buffer.from(await res.arrayBuffer());
  }

  private async fetch(path: string, init: RequestInit, runToken?: string): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${runToken ?? this.poolToken}` };
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { ...init, headers });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      throw new ServerRefusal(0, `cannot reach the Gantry server at ${this.baseUrl}: ${String((err as Error).cause ?? (err as Error).message)}`);
    }
    if (!res.ok) {
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
}
