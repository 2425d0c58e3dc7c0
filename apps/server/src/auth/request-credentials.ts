import { createHash, timingSafeEqual } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import type { FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import { credentialOf } from "./request-authentication.js";

/** The browser session cookie: HttpOnly, holds a session token (`gns_...`). */
export const SESSION_COOKIE = "gantry_session";
/** Readable by the page's script, which echoes it in {@link CSRF_HEADER} on every change. */
export const CSRF_COOKIE = "gantry_csrf";
export const CSRF_HEADER = "x-gantry-csrf";

/** Requests that change nothing; they need no CSRF proof. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The CSRF token of a browser session: derived from the session token, so the server keeps no
 * extra state and a page on another site (which cannot read the cookie) cannot forge it.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash("sha256").update(`gantry-csrf:${sessionToken}`).digest("base64url");
}

/** Reads a cookie from the request header (authentication runs before the cookie plugin's hook). */
function cookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? fastifyCookie.parse(header)[name] : undefined;
}

/**
 * The credential a request carries: a bearer token (API key, session, run token), or else the
 * browser's session cookie. A cookie-authenticated request that changes something must also
 * prove it came from Gantry's own page (the CSRF header); bearer requests need no such proof,
 * because a browser never attaches them by itself.
 */
export function requestCredential(req: FastifyRequest): { token: string; via: "bearer" | "cookie" } | null {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const token = credentialOf(auth);
    if (!token) throw new AppError("unauthenticated", "the Authorization header must be 'Bearer <token>' with an API key or session token");
    return { token, via: "bearer" };
  }
  const session = cookie(req, SESSION_COOKIE);
  if (!session) return null;
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    const expected = csrfTokenFor(session);
    if (typeof sent !== "string" || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
      throw new AppError("forbidden", `a change made with the browser session needs the ${CSRF_HEADER} header (the value of the ${CSRF_COOKIE} cookie): reload the page and try again`);
    }
  }
  return { token: session, via: "cookie" };
}

/** The message of a request that carries no credential at all. */
export const CREDENTIAL_REQUIRED = "authentication required: send an API key or session token as 'Authorization: Bearer <token>', or log in at /login";
