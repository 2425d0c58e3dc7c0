import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { invalidField } from "../../errors.js";
import type { OutboundGuard } from "../../notifications/outbound-guard.js";

/** How long the name of an API URL may take to resolve before it is judged on what it is. */
const LOOKUP_TIMEOUT_MS = 3_000;

/**
 * Refuses a GitHub API URL whose host is, or resolves to, an address the outbound guard refuses
 * (loopback, private, link-local: the cloud's metadata endpoint). The server calls that URL with
 * the integration's token and keeps part of the answer in delivery records, so whoever
 * administers a space could otherwise make it read its own internal services. A name that does
 * not resolve (yet) is accepted: every call judges the address again when it connects.
 */
export async function refuseInternalApiUrl(guard: OutboundGuard, apiBaseUrl: string): Promise<void> {
  const host = new URL(apiBaseUrl).hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  for (const address of addresses) {
    const refusal = guard.refusal(address);
    if (refusal) {
      const via = address === host ? "" : `${host} resolves to `;
      throw invalidField(["apiBaseUrl"], `refused by the outbound guard: ${via}${refusal}; use the GitHub API's public address`);
    }
  }
}

async function resolveAll(host: string): Promise<string[]> {
  const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS).unref());
  const found = lookup(host, { all: true }).then((rs) => rs.map((r) => r.address), () => []);
  return Promise.race([found, timeout]);
}
