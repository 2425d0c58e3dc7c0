import { GantryApiError } from "@gantry/contract/browser";
import { MutationCache, QueryCache, QueryClient, queryOptions } from "@tanstack/react-query";
import { call, csrfToken } from "./http.js";
import { meInput, spacesInput } from "./inputs.js";

// The client lives in http.ts (no React there, so the entry script can use it); pages import it from here.
export { call } from "./http.js";

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
export const meQuery = () => queryOptions({ queryKey: ["me"], queryFn: () => call("me", meInput), staleTime: 60_000 });
/** Every space (the filters and the role walk up the tree read it). */
export const spacesQuery = () => queryOptions({ queryKey: ["spaces"], queryFn: () => call("listSpaces", spacesInput), staleTime: 60_000 });
