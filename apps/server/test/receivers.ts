/**
 * Local stand-ins for the receivers of notifications: a webhook receiver that records what it
 * got (and can fail or hang on demand), and a Slack Web API stand-in that checks each request as
 * Slack's `chat.postMessage` does (bearer bot token, JSON body, a channel it knows, Block Kit).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answer the next `n` requests with `status` (then 200 again). */
  failNext(n: number, status?: number): void;
  /** Never answer the next `n` requests (a receiver that hangs). */
  hangNext(n: number): void;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function webhookReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let failing = 0;
  let failStatus = 500;
  let hanging = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (hanging > 0) {
        hanging--;
        return;
      }
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus).end("receiver is down");
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200, { "content-type": "text/plain" }).end("thanks");
    });
  });
  const url = await listen(server);
  return {
    url, received,
    failNext(n, status = 500) {
      failing = n;
      failStatus = status;
    },
    hangNext(n) {
      hanging = n;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** What a receiver does to trust a delivery (the snippet in docs/notifications.md). */
export function verifySignature(secret: Buffer, r: Received): boolean {
  const sig = String(r.headers["x-signature-256"] ?? "");
  const want = `sha256=${createHmac("sha256", secret).update(r.body).digest("hex")}`;
  const ts = String(r.headers["x-gantry-timestamp"] ?? "");
  const stamped = `t=${ts},sha256=${createHmac("sha256", secret).update(`${ts}.${r.body}`).digest("hex")}`;
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  return same(sig, want) && same(String(r.headers["x-gantry-signature"] ?? ""), stamped) && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

export interface SlackStandIn {
  url: string;
  token: string;
  /** Messages accepted, with their channel. */
  posted: { channel: string; text: string; blocks: unknown[] }[];
  /** Requests refused, with Slack's error code. */
  refused: string[];
  close(): Promise<void>;
}

/** Slack's `chat.postMessage`: 200 with `{ok:false,error}` for a bad token, channel or body, as Slack answers. */
export async function slackStandIn(channels: string[]): Promise<SlackStandIn> {
  const token = "xoxb-1111-2222-standin";
  const posted: SlackStandIn["posted"] = [];
  const refused: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = (body: object) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      const refuse = (error: string) => {
        refused.push(error);
        answer({ ok: false, error });
      };
      if (req.method !== "POST" || req.url !== "/api/chat.postMessage") return res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${token}`) return refuse(req.headers.authorization ? "invalid_auth" : "not_authed");
      if (!String(req.headers["content-type"]).startsWith("application/json")) return refuse("invalid_form_data");
      let body: { channel?: unknown; text?: unknown; blocks?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return refuse("invalid_json");
      }
      if (typeof body.channel !== "string" || !channels.includes(body.channel)) return refuse("channel_not_found");
      if (typeof body.text !== "string" && !Array.isArray(body.blocks)) return refuse("no_text");
      if (body.blocks !== undefined && (!Array.isArray(body.blocks) || body.blocks.some((b) => typeof (b as { type?: unknown }).type !== "string"))) return refuse("invalid_blocks");
      posted.push({ channel: body.channel, text: String(body.text ?? ""), blocks: (body.blocks as unknown[]) ?? [] });
      answer({ ok: true, channel: body.channel, ts: `${Date.now() / 1000}` });
    });
  });
  const base = await listen(server);
  return { url: `${base}/api`, token, posted, refused, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
