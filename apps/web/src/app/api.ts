import type { EndpointInput, EndpointName, EndpointOutput, Endpoints } from "@gantry/contract";
import { GantryApiError, GantryHttpClient } from "@gantry/contract/browser";
import { MutationCache, QueryCache, QueryClient, queryOptions } from "@tanstack/react-query";
import routes from "virtual:gantry-routes";

/** The CSRF cookie the server sets at login; every change made with the session echoes it. */
function csrfToken(): string | undefined {
  return document.cookie.split("; ").find((c) => c.startsWith("gantry_csrf="))?.slice("gantry_csrf=".length);
}

/**
 * Calls one endpoint of the API through the contract's typed client, authenticated by the
 * browser's session cookie. This is the UI's only way to the server.
 */
export function call<K extends EndpointName>(name: K, input: EndpointInput<Endpoints[K]>): Promise<EndpointOutput<Endpoints[K]>> {
  const csrf = csrfToken();
  return new GantryHttpClient(routes, { baseUrl: window.location.origin, headers: csrf ? { "x-gantry-csrf": csrf } : {} }).call(name, input);
}

/** Where an expired or missing session sends the person: the login page, then back here. */
export function sendToLogin(): void {
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname === "/login") return;
  window.location.assign(`/login?next=${encodeURIComponent(here)}`);
}

function onError(err: unknown): void {
  if (err instanceof GantryApiError && err.status === 401) sendToLogin();
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      retry: (count, err) => !(err instanceof GantryApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

/** Logs in with a local account or an API key; the server answers with the session cookies. */
export async function logIn(body: { username: string; password: string } | { apiKey: string }): Promise<void> {
  const res = await fetch("/api/v1/auth/browser-session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) {
    const err = ((await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } }).error;
    throw new Error(err?.message ?? `logging in failed with status ${res.status}`);
  }
}

export async function logOut(): Promise<void> {
  const csrf = csrfToken();
  await fetch("/api/v1/auth/browser-session", { method: "DELETE", headers: csrf ? { "x-gantry-csrf": csrf } : {} });
  queryClient.clear();
}

/** Who is signed in and their role bindings (the frame and every role check read it). */
export const meQuery = () => queryOptions({ queryKey: ["me"], queryFn: () => call("me", {}), staleTime: 60_000 });
/** Every space (the filters and the role walk up the tree read it). */
export const spacesQuery = () => queryOptions({ queryKey: ["spaces"], queryFn: () => call("listSpaces", { query: { limit: 1000 } }), staleTime: 60_000 });
