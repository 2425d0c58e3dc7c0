import type { EndpointInput, EndpointName, EndpointOutput, Endpoints } from "@gantry/contract";
import { GantryHttpClient } from "@gantry/contract/browser";
import routes from "virtual:gantry-routes";

/*
 * The UI's only way to the server: the contract's typed HTTP client, authenticated by the
 * browser's session cookie. Kept free of React and TanStack so the small entry script
 * (main.tsx) can start the first page's requests with it before the app itself has loaded.
 */

/** The CSRF cookie the server sets at login; every change made with the session echoes it. */
export function csrfToken(): string | undefined {
  return document.cookie.split("; ").find((c) => c.startsWith("gantry_csrf="))?.slice("gantry_csrf=".length);
}

/** One endpoint call: its name and input, as `call` takes them. */
export interface Call<K extends EndpointName = EndpointName> {
  name: K;
  input: EndpointInput<Endpoints[K]>;
}

/** How long a call started ahead of the app may wait to be taken before it counts as stale. */
const EARLY_CALL_TTL_MS = 10_000;
const early = new Map<string, { at: number; answer: Promise<unknown> }>();
const keyOf = (c: Call) => `${c.name} ${JSON.stringify(c.input)}`;

function send<K extends EndpointName>(name: K, input: EndpointInput<Endpoints[K]>): Promise<EndpointOutput<Endpoints[K]>> {
  const csrf = csrfToken();
  return new GantryHttpClient(routes, { baseUrl: window.location.origin, headers: csrf ? { "x-gantry-csrf": csrf } : {} }).call(name, input);
}

/**
 * Starts calls the page being opened will make, before the app's script has been compiled:
 * the first `call` with the same name and input then takes the answer instead of asking again.
 */
export function startEarly(calls: Call[]): void {
  for (const c of calls) {
    const answer = send(c.name, c.input);
    // Nobody may take it (the page changed meanwhile): its failure is not an unhandled one.
    answer.catch(() => undefined);
    early.set(keyOf(c), { at: Date.now(), answer });
  }
}

/** Calls one endpoint of the API; rejects with the contract's `GantryApiError` on an error answer. */
export function call<K extends EndpointName>(name: K, input: EndpointInput<Endpoints[K]>): Promise<EndpointOutput<Endpoints[K]>> {
  if (early.size > 0) {
    const key = keyOf({ name, input } as Call);
    const started = early.get(key);
    early.delete(key);
    if (started && Date.now() - started.at < EARLY_CALL_TTL_MS) return started.answer as Promise<EndpointOutput<Endpoints[K]>>;
  }
  return send(name, input);
}
