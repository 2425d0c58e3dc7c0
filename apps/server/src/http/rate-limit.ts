import rateLimit from "@fastify/rate-limit";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import type { buildApp } from "./app.js";

/** The entry points an attacker on the network can hammer without credentials, each with its own budget. */
export type RateLimitedArea = "login" | "webhooks" | "state" | "registry";

/** Requests per minute per client IP for each area; 0 turns an area's limit off. */
export type RateLimits = Record<RateLimitedArea, number>;

/** Which area a request belongs to, by path (the query string is not part of it). */
export function rateLimitedArea(url: string): RateLimitedArea | undefined {
  const path = url.split("?")[0] ?? "";
  if (path === "/api/v1/auth/login") return "login";
  if (path.startsWith("/webhooks/")) return "webhooks";
  if (path.startsWith("/state/")) return "state";
  if (path.startsWith("/v1/modules/") || path.startsWith("/v1/providers/") || path.startsWith("/v1/mirror/") || path.startsWith("/registry/") || path.startsWith("/oauth/") || path === "/.well-known/terraform.json") return "registry";
  return undefined;
}

const WINDOW_MS = 60_000;

type Limiter = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
const limiterOf = new WeakMap<object, Limiter>();

/**
 * Installs the hook the limits run in, ahead of authentication (call it before the
 * authentication hook): a request authentication refuses (a guessed token) must count too.
 * The limits themselves are set later by {@link registerRateLimits}; until then nothing is limited.
 */
export function installRateLimitHook(app: { addHook(name: "onRequest", hook: (req: FastifyRequest, reply: FastifyReply) => Promise<void>): unknown }): void {
  app.addHook("onRequest", async (req, reply) => {
    await limiterOf.get(app)?.(req, reply);
  });
}

/**
 * Per-IP limits on login (password guessing from many accounts, which the per-account login
 * throttle cannot see), VCS webhooks (signature checks cost CPU), the terraform state backend and
 * the module registry (token checks, archive downloads),
 * using @fastify/rate-limit's in-memory store: each replica counts on its own, so behind N
 * replicas a client gets at most N times the budget. A refused request gets 429 in the error
 * envelope with `Retry-After`. Behind a reverse proxy, set `trustProxy` so `req.ip` is the client.
 */
export async function registerRateLimits(app: ReturnType<typeof buildApp>, limits: RateLimits): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (req, ctx) => {
      const area = rateLimitedArea(req.url) ?? "this endpoint";
      const retryAfterSeconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new AppError("too_many_requests", `too many ${area} requests from ${req.ip}: at most ${ctx.max} a minute; retry after ${retryAfterSeconds} s`, { area, limitPerMinute: ctx.max, retryAfterSeconds });
    },
  });
  const limiters = new Map<RateLimitedArea, ReturnType<typeof app.rateLimit>>();
  for (const [area, max] of Object.entries(limits) as [RateLimitedArea, number][]) {
    if (max > 0) limiters.set(area, app.rateLimit({ max, timeWindow: WINDOW_MS, keyGenerator: (req) => `${area}:${req.ip}` }));
  }
  limiterOf.set(app, async (req, reply) => {
    const area = rateLimitedArea(req.url);
    const limiter = area && limiters.get(area);
    // The plugin types its handler for Fastify's default logger; ours is pino's own type.
    if (limiter) await limiter.call(app as never, req as never, reply as never);
  });
}
