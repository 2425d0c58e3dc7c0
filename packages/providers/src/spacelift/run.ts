import { attr, block, t } from "@gantry/tfplugin";
import { run } from "../gantry/resources/run.js";
import { webhook } from "../gantry/resources/webhook.js";
import { alias } from "./alias.js";

/** `spacelift_run`: triggers a run (Gantry's `gantry_run`), without waiting for it. */
export const spaceliftRun = alias(run, {
  fields: {
    wait: block.list({ disabled: attr.bool({ optional: true }), continue_on_state: attr.set(t.string, { optional: true }), continue_on_timeout: attr.bool({ optional: true }) }, { maxItems: 1 }),
    runtime_config: block.list({ project_root: attr.string({ optional: true }), runner_image: attr.string({ optional: true }) }, { maxItems: 1 }),
    timeouts: block.single({ create: attr.string({ optional: true }) }),
  },
  unsupported: {
    wait: { effect: "refuse", why: "Gantry triggers the run and returns; follow it with `gantry run watch <id>` or a stack dependency." },
    runtime_config: { effect: "refuse", why: "a run takes its stack's settings in Gantry; change the stack (or its contexts) instead." },
  },
  validate(config, diagnostics, typeName) {
    const timeouts = config.timeouts as { create?: unknown } | null | undefined;
    if (timeouts?.create) diagnostics.warning(`${typeName}: timeouts.create is ignored by Gantry`, "the run is triggered without waiting, so there is nothing to time out.", ["timeouts", "create"]);
  },
});

/** `spacelift_webhook`: a stack's webhook; Gantry's deliverer always retries failed deliveries. */
export const spaceliftWebhook = alias(webhook, {
  fields: { retry_on_failure: attr.bool({ optional: true, default: false }) },
  unsupported: { retry_on_failure: { effect: "warn", unless: true, why: "Gantry delivers webhooks through its outbox and always retries a failed delivery (docs/notifications.md)." } },
});
