import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyStaticOptions } from "@fastify/static";
import type { FastifyReply, FastifyRequest } from "fastify";


/** A built asset: a plain file name under /assets/ (no other path reaches the disk). */
const ASSET = /^\/assets\/([A-Za-z0-9_.-]+\.(?:js|css|svg|png|woff2?))(?:\?.*)?$/;

/** Paths that belong to APIs and protocols; everything else a browser asks for is the app. */
const NOT_THE_APP = /^\/(api|state|webhooks|worker|v1|\.well-known|healthz|readyz|metrics)(\/|$)/;

/**
 * Finds the built web UI (`apps/web/dist`) above this module: from the sources
 * (`apps/server/src/http`) and from the bundled CLI (`apps/cli/dist`) alike.
 */
export function findWebDist(from = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "apps", "web", "dist");
    if (existsSync(join(candidate, "index.html"))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** Whether a request is a browser navigation (not an API client that wants JSON). */
function wantsPage(req: FastifyRequest): boolean {
  return req.method === "GET" && !NOT_THE_APP.test(req.url) && (req.headers.accept ?? "").includes("text/html");
}

/**
 * Serves the single-page app at `/`: hashed assets under `/assets/` cached for a year (their
 * names change with their content), and `index.html` for every page address, never cached, so
 * a new release is picked up on the next navigation. `pageFallback` is what the not-found
 * handler calls for page addresses; without a build it says how to make one.
 */
export function webUi(dist: string | null): { staticFiles: FastifyStaticOptions | null; pageFallback(req: FastifyRequest, reply: FastifyReply): boolean } {
  if (!dist) {
    return {
      staticFiles: null,
      pageFallback(req, reply) {
        if (!wantsPage(req)) return false;
        void reply.status(503).type("text/html").send("<!doctype html><title>Gantry</title><p>The web UI is not built. Run <code>npm run build</code> (or start Gantry with <code>./bin/gantry up</code>, which builds it), then reload.</p>");
        return true;
      },
    };
  }
  return {
    // No routes of its own (`serve: false`): files are sent from the not-found path below, so
    // the UI adds no route to the API's table, its authentication or its OpenAPI document.
    staticFiles: {
      root: dist,
      serve: false,
      // The build writes .br and .gz beside each asset (vite.config.ts): sent as they are to
      // browsers that accept them, so the JS shipped is the compressed size, at no CPU per request.
      preCompressed: true,
      setHeaders(res, path) {
        void res.header("cache-control", /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache");
      },
    },
    pageFallback(req, reply) {
      const asset = ASSET.exec(req.url)?.[1];
      if (req.method === "GET" && asset && existsSync(join(dist, "assets", asset))) {
        void reply.sendFile(`assets/${asset}`);
        return true;
      }
      if (!wantsPage(req)) return false;
      void reply.header("cache-control", "no-cache").sendFile("index.html");
      return true;
    },
  };
}
