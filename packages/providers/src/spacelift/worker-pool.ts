import { attr, t } from "@gantry/tfplugin";
import { workerPool } from "../gantry/resources/worker-pool.js";
import { alias } from "./alias.js";

/**
 * `spacelift_worker_pool`: Gantry's worker pool. Spacelift's `config` (what workers are started
 * with) is the pool token `gantry worker --pool-token` takes; there is no key pair (`csr`,
 * `private_key`): workers authenticate with that token over HTTPS.
 */
export const spaceliftWorkerPool = alias(workerPool, {
  omit: ["token"],
  fields: {
    config: attr.string({ computed: true, sensitive: true, useStateForUnknown: true, description: "the pool token workers join with" }),
    private_key: attr.string({ computed: true, sensitive: true, description: "always empty: Gantry pools use a token, not a key pair" }),
    csr: attr.string({ optional: true, sensitive: true }),
    labels: attr.set(t.string, { optional: true }),
    drift_detection_run_limit: attr.int({ optional: true }),
  },
  unsupported: {
    csr: { effect: "refuse", why: "Gantry worker pools use a token (the config attribute), not a certificate signing request." },
    labels: { effect: "warn", why: "Gantry worker pools have no labels." },
    drift_detection_run_limit: { effect: "warn", why: "Gantry does not limit drift detection runs per pool yet." },
  },
  toGantry: (v) => ({ ...v, token: v.config ?? null }),
  fromGantry: ({ token, ...rest }) => ({ ...rest, ...(token !== undefined ? { config: token } : {}), private_key: "" }),
});
