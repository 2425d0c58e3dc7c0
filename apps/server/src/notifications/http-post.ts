import { lookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { OutboundGuard } from "./outbound-guard.js";

/** What one POST to a receiver gave: the status and the first 4 KiB of the body, or why it failed. */
export interface PostResult {
  ok: boolean;
  status: number | null;
  body: string;
  error: string | null;
  durationMs: number;
}

/** The part of a receiver's answer kept with each attempt. */
export const KEPT_BODY_BYTES = 4096;

/**
 * Keep-alive agents whose every new connection resolves through the guard: a pooled socket was
 * checked when it connected, so reusing it is as safe as a fresh one, and far cheaper.
 */
const agents = new WeakMap<OutboundGuard, { http: http.Agent; https: https.Agent }>();

function guardedLookupFor(guard: OutboundGuard): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: false }, (err, address, family) => {
      if (err) return callback(err, address, family);
      const refusal = guard.refusal(address);
      if (refusal) return callback(Object.assign(new Error(`refused: ${hostname} resolves to ${refusal}`), { code: "EREFUSED_BY_GUARD" }), address, family);
      callback(null, address, family);
    });
  };
}

export function agentsFor(guard: OutboundGuard) {
  let a = agents.get(guard);
  if (!a) {
    const lookup = guardedLookupFor(guard);
    a = { http: new http.Agent({ keepAlive: true, maxSockets: 8, lookup }), https: new https.Agent({ keepAlive: true, maxSockets: 8, lookup }) };
    agents.set(guard, a);
  }
  return a;
}

/**
 * POSTs `body` to `url`, refusing addresses the guard refuses. The guard judges the address the
 * socket actually connects to (inside `lookup`), not the URL's text, so a name that resolves to
 * a public address when checked and to 127.0.0.1 when connecting (DNS rebinding) gets nowhere.
 * The whole exchange is bounded by `timeoutMs`: a receiver that hangs is a failed attempt.
 */
export function postJson(url: string, body: string, headers: Record<string, string>, opts: { guard: OutboundGuard; timeoutMs: number }): Promise<PostResult> {
  const started = performance.now();
  const done = (r: Omit<PostResult, "durationMs">): PostResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve(done({ ok: false, status: null, body: "", error: `${url} is not a URL` }));
      return;
    }
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) {
      const refusal = opts.guard.refusal(host);
      if (refusal) return resolve(done({ ok: false, status: null, body: "", error: `refused: ${refusal}` }));
    }
    const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
    if (!client) return resolve(done({ ok: false, status: null, body: "", error: `${target.protocol} URLs are not supported: use http or https` }));
    const signal = AbortSignal.timeout(opts.timeoutMs);
    const req = client.request(target, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "gantry-notifications", ...headers },
      signal,
      agent: target.protocol === "https:" ? agentsFor(opts.guard).https : agentsFor(opts.guard).http,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on("data", (c: Buffer) => {
        if (kept < KEPT_BODY_BYTES) {
          chunks.push(c);
          kept += c.length;
        }
      });
      res.on("end", () => {
        const text = Buffer.concat(chunks).subarray(0, KEPT_BODY_BYTES).toString("utf8");
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        resolve(done({ ok, status, body: text, error: ok ? null : `receiver answered ${status}` }));
      });
      res.on("error", (err) => resolve(done({ ok: false, status: res.statusCode ?? null, body: "", error: err.message })));
    });
    req.on("error", (err) => {
      const timedOut = signal.aborted;
      resolve(done({ ok: false, status: null, body: "", error: timedOut ? `no answer within ${opts.timeoutMs / 1000} s` : err.message }));
    });
    req.end(body);
  });
}
