import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { agentsFor } from "./http-post.js";
import type { OutboundGuard } from "./outbound-guard.js";

/**
 * One HTTP request whose connection goes through the outbound guard (the address judged as the
 * socket connects, like webhook deliveries), answering the status and the whole body. For API
 * calls made on a user's say-so (a GitHub Enterprise API URL) where `fetch` would reach any
 * address.
 */
export function guardedRequest(method: string, url: string, opts: { headers: Record<string, string>; body?: string; guard: OutboundGuard; timeoutMs: number }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, "");
    const refusal = isIP(host) ? opts.guard.refusal(host) : null;
    if (refusal) return reject(new Error(`refused: ${refusal}`));
    const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
    if (!client) return reject(new Error(`${target.protocol} URLs are not supported: use http or https`));
    const signal = AbortSignal.timeout(opts.timeoutMs);
    const headers = opts.body === undefined ? opts.headers : { ...opts.headers, "content-length": String(Buffer.byteLength(opts.body)) };
    const req = client.request(target, { method, headers, signal, agent: target.protocol === "https:" ? agentsFor(opts.guard).https : agentsFor(opts.guard).http });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", (err) => reject(signal.aborted ? new Error(`no answer within ${opts.timeoutMs / 1000} s`) : err));
    req.end(opts.body);
  });
}
