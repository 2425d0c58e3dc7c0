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
    const guardedLookup: LookupFunction = (hostname, options, callback) => {
      lookup(hostname, { ...options, all: false }, (err, address, family) => {
        if (err) return callback(err, address, family);
        const refusal = opts.guard.refusal(address);
        if (refusal) return callback(Object.assign(new Error(`refused: ${hostname} resolves to ${refusal}`), { code: "EREFUSED_BY_GUARD" }), address, family);
        callback(null, address, family);
      });
    };
    const client = target.protocol === "https:" ? https : target.protocol === "http:" ? http : undefined;
    if (!client) return resolve(done({ ok: false, status: null, body: "", error: `${target.protocol} URLs are not supported: use http or https` }));
    const signal = AbortSignal.timeout(opts.timeoutMs);
    const req = client.request(target, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "user-agent": "gantry-notifications", ...headers },
      lookup: guardedLookup,
      signal,
      // A fresh connection per delivery: a pooled socket would skip the guarded lookup.
      agent: false,
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
