import { describe, expect, it } from "vitest";
import { resolveCredentials, type SpaceliftProviderConfig } from "./credentials.js";

const none: SpaceliftProviderConfig = { api_key_endpoint: null, api_key_id: null, api_key_secret: null, api_token: null };
const fail = (config: SpaceliftProviderConfig, env: Record<string, string>) => {
  try {
    resolveCredentials(config, env);
  } catch (err) {
    return err as Error & { options: { path?: unknown[]; detail?: string } };
  }
  throw new Error("expected a refusal");
};

describe("Spacelift's provider settings resolved to Gantry's URL and token", () => {
  it("builds a Gantry API key from api_key_id and api_key_secret, from the block or Spacelift's variables", () => {
    expect(resolveCredentials({ ...none, api_key_endpoint: "https://g.example/", api_key_id: "01ABC", api_key_secret: "s3cr3t" }, {})).toEqual({ url: "https://g.example", token: "gnt_01ABC_s3cr3t", via: "api_key_id/api_key_secret" });
    expect(resolveCredentials(none, { SPACELIFT_API_KEY_ENDPOINT: "https://g.example", SPACELIFT_API_KEY_ID: "01ABC", SPACELIFT_API_KEY_SECRET: "gnt_01ABC_s3cr3t" }).token).toBe("gnt_01ABC_s3cr3t");
    // The block wins over the environment, as with Spacelift's EnvDefaultFunc.
    expect(resolveCredentials({ ...none, api_key_id: "01XYZ", api_key_secret: "other" }, { SPACELIFT_API_KEY_ENDPOINT: "https://g.example", SPACELIFT_API_KEY_ID: "01ABC", SPACELIFT_API_KEY_SECRET: "s" }).token).toBe("gnt_01XYZ_other");
  });

  it("prefers a complete API key to a token, and falls back to Gantry's run variables", () => {
    const env = { SPACELIFT_API_KEY_ENDPOINT: "https://g.example", SPACELIFT_API_TOKEN: "gra_run_token", SPACELIFT_API_KEY_ID: "01ABC", SPACELIFT_API_KEY_SECRET: "s" };
    expect(resolveCredentials(none, env).token).toBe("gnt_01ABC_s");
    expect(resolveCredentials(none, { SPACELIFT_API_KEY_ENDPOINT: "https://g.example", SPACELIFT_API_TOKEN: "gra_run_token" })).toMatchObject({ token: "gra_run_token", via: "api_token" });
    expect(resolveCredentials(none, { GANTRY_API_URL: "http://127.0.0.1:4810", GANTRY_API_TOKEN: "gra_x" })).toEqual({ url: "http://127.0.0.1:4810", token: "gra_x", via: "GANTRY_API_TOKEN" });
  });

  it("refuses what cannot work, naming the setting", () => {
    expect(fail(none, { SPACELIFT_API_TOKEN: "t" })).toMatchObject({ message: "missing Gantry API endpoint", options: { path: ["api_key_endpoint"] } });
    expect(fail(none, { GANTRY_API_URL: "http://g", SPACELIFT_API_KEY_ID: "01ABC" })).toMatchObject({ message: "incomplete API key: api_key_secret is missing", options: { path: ["api_key_secret"] } });
    expect(fail(none, { GANTRY_API_URL: "http://g" })).toMatchObject({ message: "missing Gantry credentials", options: { path: ["api_token"] } });
    expect(fail({ ...none, api_key_id: "01ABC", api_key_secret: "gnt_01XYZ_secret" }, { GANTRY_API_URL: "http://g" }).message).toContain("another id than api_key_id");
  });
});
