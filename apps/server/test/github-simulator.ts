/**
 * A local stand-in for GitHub's REST API (github.com cannot be reached from tests). It checks
 * every request the way GitHub would — path shape, bearer token, API headers, body shape and
 * limits — answers with GitHub's status codes, and records what it accepted.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SimulatedStatus { repo: string; sha: string; state: string; context: string; description: string; target_url?: string }
export interface SimulatedComment { id: number; repo: string; number: number; body: string }

export class GithubSimulator {
  readonly statuses: SimulatedStatus[] = [];
  readonly comments: SimulatedComment[] = [];
  /** Requests refused, with the reason: a test can assert this stays empty. */
  readonly rejected: string[] = [];
  private server?: Server;
  private nextId = 1000;
  url = "";

  constructor(private readonly opts: { token: string; repos: string[]; prefix?: string }) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const answer = (status: number, body: unknown) => {
          if (status >= 400) this.rejected.push(`${req.method} ${req.url}: ${status} ${JSON.stringify(body)}`);
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        };
        try {
          const [status, body] = this.handle(req, Buffer.concat(chunks).toString("utf8"));
          answer(status, body);
        } catch (err) {
          answer(400, { message: `Problems parsing JSON: ${(err as Error).message}` });
        }
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.opts.prefix ?? ""}`;
    return this.url;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private handle(req: IncomingMessage, raw: string): [number, unknown] {
    const prefix = this.opts.prefix ?? "";
    const url = new URL(req.url ?? "/", "http://x");
    if (!url.pathname.startsWith(prefix)) return [404, { message: "Not Found" }];
    const path = url.pathname.slice(prefix.length);
    if (!req.headers["user-agent"]) return [403, { message: "Request forbidden by administrative rules. Please make sure your request has a User-Agent header" }];
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${this.opts.token}` && auth !== `token ${this.opts.token}`) return [401, { message: "Bad credentials" }];
    if (!String(req.headers.accept ?? "").includes("application/vnd.github")) return [415, { message: "Unsupported 'Accept' header" }];
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const m = /^\/repos\/([^/]+\/[^/]+)\/(.*)$/.exec(path);
    if (!m || !this.opts.repos.includes(m[1]!)) return [404, { message: "Not Found" }];
    const repo = m[1]!;
    const rest = m[2]!;
    let r: RegExpExecArray | null;
    if (req.method === "POST" && (r = /^statuses\/([0-9a-f]{40})$/.exec(rest))) {
      const { state, context, description, target_url } = body as Record<string, string | undefined>;
      if (!["pending", "success", "failure", "error"].includes(state ?? "")) return [422, { message: "Validation Failed", errors: [{ field: "state", code: "invalid" }] }];
      if (typeof context !== "string" || !context) return [422, { message: "Validation Failed", errors: [{ field: "context", code: "missing" }] }];
      if (description !== undefined && (typeof description !== "string" || description.length > 140)) return [422, { message: "Validation Failed", errors: [{ field: "description", code: "custom", message: "description is too long (maximum is 140 characters)" }] }];
      const status: SimulatedStatus = { repo, sha: r[1]!, state: state!, context, description: description ?? "", ...(target_url ? { target_url } : {}) };
      this.statuses.push(status);
      return [201, { id: this.nextId++, ...status }];
    }
    if ((r = /^issues\/(\d+)\/comments$/.exec(rest))) {
      const number = Number(r[1]);
      if (req.method === "GET") {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        const all = this.comments.filter((c) => c.repo === repo && c.number === number);
        return [200, all.slice((page - 1) * perPage, page * perPage).map((c) => ({ id: c.id, body: c.body }))];
      }
      if (req.method === "POST") {
        if (typeof body.body !== "string" || !body.body) return [422, { message: "Validation Failed", errors: [{ field: "body", code: "missing_field" }] }];
        if (body.body.length > 65536) return [422, { message: "Validation Failed", errors: [{ field: "body", code: "custom", message: "body is too long (maximum is 65536 characters)" }] }];
        const c: SimulatedComment = { id: this.nextId++, repo, number, body: body.body };
        this.comments.push(c);
        return [201, { id: c.id, body: c.body }];
      }
    }
    if (req.method === "PATCH" && (r = /^issues\/comments\/(\d+)$/.exec(rest))) {
      const c = this.comments.find((x) => x.repo === repo && x.id === Number(r![1]));
      if (!c) return [404, { message: "Not Found" }];
      if (typeof body.body !== "string" || !body.body) return [422, { message: "Validation Failed", errors: [{ field: "body", code: "missing_field" }] }];
      c.body = body.body;
      return [200, { id: c.id, body: c.body }];
    }
    return [404, { message: "Not Found" }];
  }
}
