import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { CSRF_COOKIE, csrfTokenFor, requestCredential, SESSION_COOKIE } from "../auth/request-credentials.js";
import type { Db } from "../db/connect.js";
import { AppError } from "../errors.js";
import type { Services } from "../services.js";
import { authenticate } from "../users/authenticate.js";
import type { ProtocolOperation } from "./openapi.js";
import { parsePart } from "./validate.js";

/** What the login page sends: a local account, or an API key (the first-start admin has only a key). */
export const BrowserLogin = z.union([
  z.strictObject({ username: z.string().min(1).max(255), password: z.string().min(1).max(1024) }),
  z.strictObject({ apiKey: z.string().min(1).max(512) }),
]);

function setSessionCookies(req: FastifyRequest, reply: FastifyReply, token: string, expiresAt: string): void {
  const secure = req.protocol === "https";
  const expires = new Date(expiresAt);
  void reply.setCookie(SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "lax", secure, expires });
  void reply.setCookie(CSRF_COOKIE, csrfTokenFor(token), { path: "/", httpOnly: false, sameSite: "lax", secure, expires });
}

function clearSessionCookies(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: "/" });
  void reply.clearCookie(CSRF_COOKIE, { path: "/" });
}

/**
 * Browser sessions for the web UI: `POST /api/v1/auth/browser-session` logs in and sets an
 * HttpOnly session cookie (SameSite=Lax, Secure over TLS) plus a readable CSRF cookie;
 * `DELETE` logs out. With the cookie, a browser can do what the API allows with a bearer token
 * and nothing more: the same authentication and authorization run behind both. (The cookie
 * parser is registered in `buildApp`, before every route.)
 */
export function browserSessionRoutes(db: Db, services: Services): FastifyPluginAsync {
  return async (app) => {
    app.post("/api/v1/auth/browser-session", { config: { auth: "public" } }, async (req, reply) => {
      const body = parsePart(BrowserLogin, req.body, "body")!;
      const session = "apiKey" in body ? await services.users.loginWithApiKey(body.apiKey) : await services.users.login(body.username, body.password);
      setSessionCookies(req, reply, session.token, session.expiresAt);
      return { expiresAt: session.expiresAt, user: session.user };
    });
    app.delete("/api/v1/auth/browser-session", { config: { auth: "public" } }, async (req, reply) => {
      const credential = requestCredential(req);
      if (credential?.via === "cookie") {
        const actor = await authenticate(db, credential.token);
        if (actor?.credential?.type === "session") await services.users.logout(actor);
      } else if (credential) {
        throw new AppError("bad_request", "this ends a browser session; a bearer token is not one (revoke an API key instead)");
      }
      clearSessionCookies(reply);
      return reply.status(204).send();
    });
  };
}

/** The browser-session routes in the OpenAPI document (they set cookies, so they sit outside the endpoint table). */
export const browserSessionOperations: ProtocolOperation[] = [
  {
    method: "post",
    path: "/api/v1/auth/browser-session",
    operation: {
      operationId: "createBrowserSession", tags: ["auth"], summary: "log a browser in with a user name and password or an API key: sets the HttpOnly session cookie and the CSRF cookie", security: [],
      requestBody: { required: true, content: { "application/json": { schema: { oneOf: [{ type: "object", required: ["username", "password"], properties: { username: { type: "string" }, password: { type: "string" } } }, { type: "object", required: ["apiKey"], properties: { apiKey: { type: "string" } } }] } } } },
      responses: { "200": { description: "logged in; the cookies are set" } },
    },
  },
  {
    method: "delete",
    path: "/api/v1/auth/browser-session",
    operation: { operationId: "deleteBrowserSession", tags: ["auth"], summary: "log a browser out: ends the session and clears its cookies", security: [], responses: { "204": { description: "logged out" } } },
  },
];
