import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { RouteAuth } from "../auth/request-authentication.js";
import { csrfTokenFor, SESSION_COOKIE } from "../auth/request-credentials.js";
import type { Db } from "../db/connect.js";
import { now } from "../db/rows.js";
import type { buildApp } from "../http/app.js";
import type { ProtocolOperation } from "../http/openapi.js";
import { authenticate } from "../users/authenticate.js";
import type { LoginGate } from "../users/login-gate.js";
import { mintPersonRegistryToken } from "./registry-tokens.js";

/** What `/.well-known/terraform.json` says about `terraform login` (terraform's login.v1). */
export const LOGIN_V1 = { client: "terraform-cli", grant_types: ["authz_code"], authz: "/oauth/authorization", token: "/oauth/token", ports: [10000, 10010] } as const;
const CODE_TTL_MS = 60_000;
const pub = { auth: "public" as RouteAuth };

interface AuthzRequest { response_type?: string; client_id?: string; redirect_uri?: string; state?: string; code_challenge?: string; code_challenge_method?: string }

/**
 * Why an authorization request cannot be served, or null. Terraform redirects to
 * `http://localhost:<port>/login` with a port from LOGIN_V1.ports and uses PKCE (S256); anything
 * else is refused on Gantry's page, never redirected to (an open redirect would leak codes).
 */
export function authzRequestProblem(q: AuthzRequest): string | null {
  if (q.response_type !== "code") return "response_type must be code (terraform login asks for an authorization code)";
  if (q.client_id !== LOGIN_V1.client) return `client_id must be ${LOGIN_V1.client}: only terraform login is a client of this server`;
  if (!q.code_challenge || q.code_challenge_method !== "S256") return "the request must carry a PKCE code_challenge with code_challenge_method S256, as terraform login sends";
  let uri: URL;
  try {
    uri = new URL(q.redirect_uri ?? "");
  } catch {
    return "redirect_uri is missing or not a URL";
  }
  const port = Number(uri.port);
  if (uri.protocol !== "http:" || !["localhost", "127.0.0.1"].includes(uri.hostname) || !(port >= LOGIN_V1.ports[0] && port <= LOGIN_V1.ports[1]) || uri.pathname !== "/login") {
    return `redirect_uri must be http://localhost:<port>/login with a port from ${LOGIN_V1.ports[0]} to ${LOGIN_V1.ports[1]}, where terraform login listens`;
  }
  return null;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");
const sessionOf = (req: FastifyRequest) => (req.headers.cookie ? fastifyCookie.parse(req.headers.cookie)[SESSION_COOKIE] : undefined);

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply.status(status).header("content-type", "text/html; charset=utf-8").header("cache-control", "no-store").header("x-frame-options", "DENY")
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto"><h1>${escape(title)}</h1>${body}</body></html>`);
}

/**
 * Terraform's login protocol (login.v1): an OAuth 2 authorization code grant with PKCE. The
 * person approves on Gantry's page, with the browser session they are logged in with or an API
 * key; terraform exchanges the code for a registry token of that person (revocable with
 * `gantry registry-token revoke`, stored hashed), which reads the registry with their roles.
 */
export function mountRegistryLogin(app: ReturnType<typeof buildApp>, deps: { db: Db; gate?: LoginGate }): void {
  const { db } = deps;
  // OAuth sends forms (the token request, and the approval form of the page below).
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));

  app.get("/oauth/authorization", { config: pub }, async (req, reply) => {
    const q = req.query as AuthzRequest;
    const problem = authzRequestProblem(q);
    if (problem) return page(reply, 400, "This login request cannot be used", `<p>${escape(problem)}.</p><p>Run <code>terraform login &lt;host&gt;</code> again.</p>`);
    const hidden = (["response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method"] as const).map((k) => `<input type="hidden" name="${k}" value="${escape(q[k] ?? "")}">`).join("");
    const session = sessionOf(req);
    const who = session ? await authenticate(db, session) : undefined;
    const asSession = who && session ? `<form method="post">${hidden}<input type="hidden" name="csrf" value="${escape(csrfTokenFor(session))}"><p>You are logged in as <b>${escape(who.name)}</b>.</p><button type="submit">Allow terraform to read the registry as ${escape(who.name)}</button></form><hr>` : "";
    return page(reply, 200, "Allow terraform login?", `<p>terraform on your machine asks for a token to read Gantry's module and provider registry with your roles.</p>${asSession}<form method="post">${hidden}<p><label>Approve with an API key: <input type="password" name="api_key" autocomplete="off"></label></p><button type="submit">Allow</button></form><p>Not you, or not expected? Close this page.</p>`);
  });

  app.post("/oauth/authorization", { config: pub }, async (req, reply) => {
    const form = (req.body ?? {}) as AuthzRequest & { api_key?: string; csrf?: string };
    const problem = authzRequestProblem(form);
    if (problem) return page(reply, 400, "This login request cannot be used", `<p>${escape(problem)}.</p>`);
    let principal;
    if (form.api_key) {
      principal = await authenticate(db, form.api_key, deps.gate).catch(() => undefined);
    } else {
      const session = sessionOf(req);
      const expected = session ? Buffer.from(csrfTokenFor(session)) : undefined;
      const sent = Buffer.from(form.csrf ?? "");
      if (session && expected && expected.length === sent.length && timingSafeEqual(expected, sent)) principal = await authenticate(db, session);
    }
    if (!principal || principal.kind !== "user") return page(reply, 401, "Not approved", "<p>The API key or browser session is not valid. Go back and use a current API key, or log in to Gantry first.</p>");
    const code = randomBytes(32).toString("base64url");
    const at = now();
    await db.insertInto("registry_login_codes").values({ code_hash: hashCode(code), user_id: principal.id, client_id: form.client_id!, redirect_uri: form.redirect_uri!, code_challenge: form.code_challenge!, created_at: at, expires_at: new Date(Date.parse(at) + CODE_TTL_MS).toISOString() }).execute();
    const target = new URL(form.redirect_uri!);
    target.searchParams.set("code", code);
    if (form.state) target.searchParams.set("state", form.state);
    return reply.status(302).header("location", target.toString()).header("cache-control", "no-store").send();
  });

  // The token endpoint answers in OAuth's own error format, which terraform's client reads.
  app.post("/oauth/token", { config: pub }, async (req, reply) => {
    const f = (req.body ?? {}) as { grant_type?: string; code?: string; client_id?: string; redirect_uri?: string; code_verifier?: string };
    const fail = (error: string, description: string) => reply.status(400).header("cache-control", "no-store").send({ error, error_description: description });
    if (f.grant_type !== "authorization_code") return fail("unsupported_grant_type", "only authorization_code is supported");
    if (!f.code || !f.code_verifier) return fail("invalid_request", "code and code_verifier are required");
    const hash = hashCode(f.code);
    // Single use: the code is deleted whether the exchange succeeds or not.
    const row = await db.transaction().execute(async (trx) => {
      const r = await trx.selectFrom("registry_login_codes").selectAll().where("code_hash", "=", hash).executeTakeFirst();
      if (r) await trx.deleteFrom("registry_login_codes").where("code_hash", "=", hash).execute();
      return r;
    });
    if (!row || row.expires_at <= now()) return fail("invalid_grant", "the authorization code is unknown, used or expired: run terraform login again");
    if (row.client_id !== f.client_id || row.redirect_uri !== f.redirect_uri) return fail("invalid_grant", "client_id or redirect_uri differ from the authorization request");
    const challenge = createHash("sha256").update(f.code_verifier).digest("base64url");
    if (challenge !== row.code_challenge) return fail("invalid_grant", "the PKCE code_verifier does not match the code_challenge");
    const agent = String(req.headers["user-agent"] ?? "terraform").slice(0, 120);
    const minted = await mintPersonRegistryToken(db, row.user_id, `terraform login (${agent})`);
    return reply.header("cache-control", "no-store").send({ access_token: minted.token, token_type: "bearer", expires_in: Math.floor((Date.parse(minted.expiresAt) - Date.now()) / 1000) });
  });
}

const op = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({ operationId, tags: ["registry-protocol"], summary, ...extra });

/** The login protocol in the OpenAPI document. */
export const registryLoginOperations: ProtocolOperation[] = [
  { method: "get", path: "/oauth/authorization", operation: op("registryLoginPage", "login.v1: the page where a person approves terraform login (browser session or API key)", { responses: { "200": { description: "text/html" } } }) },
  { method: "post", path: "/oauth/authorization", operation: op("registryLoginApprove", "login.v1: the approval form; redirects to terraform's localhost listener with a code", { responses: { "302": { description: "to redirect_uri" } } }) },
  { method: "post", path: "/oauth/token", operation: op("registryLoginToken", "login.v1: exchanges a code and PKCE verifier for a person's registry token", { responses: { "200": { description: "access_token" } } }) },
];
