import { TfPluginError } from "@gantry/tfplugin";

/** The provider block Spacelift's provider takes (`provider "spacelift" { ... }`). */
export interface SpaceliftProviderConfig {
  api_key_endpoint: string | null;
  api_key_id: string | null;
  api_key_secret: string | null;
  api_token: string | null;
}

/** Where the provider talks to and with which bearer token. */
export interface GantryCredentials {
  url: string;
  token: string;
  /** How the token was found, for error messages (never the token itself). */
  via: string;
}

/**
 * Resolves Spacelift's provider settings to Gantry's API URL and bearer token, with Spacelift's
 * precedence: a complete API key (endpoint, id, secret; each from the block or its
 * `SPACELIFT_API_KEY_*` variable) wins; otherwise `api_token` / `SPACELIFT_API_TOKEN`. Gantry's
 * own variables (`GANTRY_API_URL`, `GANTRY_API_TOKEN`), which every administrative run has, fill
 * what is still missing, so `provider "spacelift" {}` works unchanged inside a run.
 *
 * A Gantry API key is `gnt_<id>_<secret>`: `api_key_id` is its id and `api_key_secret` its
 * secret part (the whole key is accepted as the secret too).
 *
 * @example
 * resolveCredentials({ api_key_endpoint: "https://gantry.example.com", api_key_id: "01J..", api_key_secret: "s3cr3t", api_token: null }, {});
 * // { url: "https://gantry.example.com", token: "gnt_01J.._s3cr3t", via: "api_key_id/api_key_secret" }
 */
export function resolveCredentials(config: SpaceliftProviderConfig, env: Record<string, string | undefined>): GantryCredentials {
  const endpoint = config.api_key_endpoint ?? env.SPACELIFT_API_KEY_ENDPOINT ?? env.GANTRY_API_URL ?? env.GANTRY_URL;
  const keyId = config.api_key_id ?? env.SPACELIFT_API_KEY_ID;
  const keySecret = config.api_key_secret ?? env.SPACELIFT_API_KEY_SECRET;
  const apiToken = config.api_token ?? env.SPACELIFT_API_TOKEN;
  if (!endpoint) {
    throw new TfPluginError("resource", "missing Gantry API endpoint", {
      path: ["api_key_endpoint"],
      detail: "set api_key_endpoint in the provider block (or SPACELIFT_API_KEY_ENDPOINT) to the Gantry server URL, e.g. https://gantry.example.com",
    });
  }
  const url = endpoint.replace(/\/+$/, "");
  if (keyId && keySecret) {
    if (keySecret.startsWith("gnt_")) {
      if (!keySecret.startsWith(`gnt_${keyId}_`)) {
        throw new TfPluginError("resource", "api_key_secret is a Gantry API key of another id than api_key_id", { path: ["api_key_secret"], detail: "set api_key_id to the key's id (the part after gnt_), or leave it and put only the secret part in api_key_secret" });
      }
      return { url, token: keySecret, via: "api_key_id/api_key_secret" };
    }
    return { url, token: `gnt_${keyId}_${keySecret}`, via: "api_key_id/api_key_secret" };
  }
  if (keyId || keySecret) {
    throw new TfPluginError("resource", `incomplete API key: ${keyId ? "api_key_secret" : "api_key_id"} is missing`, {
      path: [keyId ? "api_key_secret" : "api_key_id"],
      detail: "set both api_key_id and api_key_secret (or SPACELIFT_API_KEY_ID and SPACELIFT_API_KEY_SECRET), or use api_token",
    });
  }
  const token = apiToken ?? env.GANTRY_API_TOKEN ?? env.GANTRY_API_KEY;
  if (!token) {
    throw new TfPluginError("resource", "missing Gantry credentials", {
      path: ["api_token"],
      detail: "set api_key_id and api_key_secret (a Gantry API key), or api_token; inside a Gantry administrative run SPACELIFT_API_TOKEN / GANTRY_API_TOKEN are set for you",
    });
  }
  return { url, token, via: apiToken ? "api_token" : "GANTRY_API_TOKEN" };
}
