import { attr, t, TfPluginError } from "@gantry/tfplugin";
import { call, sorted } from "../gantry/api.js";
import { kit } from "../gantry/kit.js";
import { hookAttributes, hooksFromApi } from "../gantry/resources/hooks.js";

/*
 * Spacelift's look-up data sources for objects a Spacelift configuration reads by id, with
 * Spacelift's attribute names.
 */

const computedHooks = Object.fromEntries(Object.keys(hookAttributes).map((k) => [k, attr.list(t.string, { computed: true })]));

/** `spacelift_context`: a context by id, with its hooks. */
export const contextLookup = kit.dataSource({
  schema: {
    context_id: attr.string({ required: true }), id: attr.string({ computed: true }), name: attr.string({ computed: true }), description: attr.string({ computed: true }),
    space_id: attr.string({ computed: true }), labels: attr.set(t.string, { computed: true }), ...computedHooks,
  },
  async read({ config, client }) {
    const c = await call(client, "getContext", { params: { id: config.context_id } }, { id: "context_id" });
    return { id: c.id, name: c.name, description: c.description, space_id: c.spaceId, labels: sorted(c.labels), ...hooksFromApi(c.hooks) };
  },
});

/** `spacelift_policy`: a policy by id; `engine_type` is REGO_V0 or REGO_V1. */
export const policyLookup = kit.dataSource({
  schema: {
    policy_id: attr.string({ required: true }), id: attr.string({ computed: true }), name: attr.string({ computed: true }), description: attr.string({ computed: true }),
    type: attr.string({ computed: true }), body: attr.string({ computed: true }), space_id: attr.string({ computed: true }), labels: attr.set(t.string, { computed: true }),
    engine_type: attr.string({ computed: true }),
  },
  async read({ config, client }) {
    const p = await call(client, "getPolicy", { params: { id: config.policy_id } }, { id: "policy_id" });
    return { id: p.id, name: p.name, description: p.description, type: p.type, body: p.body, space_id: p.spaceId, labels: sorted(p.labels), engine_type: `REGO_${p.regoVersion}` };
  },
});

/** `spacelift_aws_integration`: an AWS integration by `integration_id` or by `name`. */
export const awsIntegrationLookup = kit.dataSource({
  schema: {
    integration_id: attr.string({ optional: true, computed: true }), name: attr.string({ optional: true, computed: true }), id: attr.string({ computed: true }),
    role_arn: attr.string({ computed: true }), duration_seconds: attr.int({ computed: true }), external_id: attr.string({ computed: true }),
    generate_credentials_in_worker: attr.bool({ computed: true }), region: attr.string({ optional: true, computed: true }), space_id: attr.string({ computed: true }),
    labels: attr.set(t.string, { computed: true }), autoattach_enabled: attr.bool({ computed: true }), tag_assume_role: attr.bool({ computed: true }),
  },
  validate({ config, diagnostics }) {
    if ((config.integration_id === null) === (config.name === null)) diagnostics.error("set exactly one of integration_id and name", undefined, ["integration_id"]);
  },
  async read({ config, client }) {
    let i;
    if (config.integration_id) i = await call(client, "getAwsIntegration", { params: { id: config.integration_id } }, { id: "integration_id" });
    else {
      i = (await client.api.all("listAwsIntegrations")).find((x) => x.name === config.name);
      if (!i) throw new TfPluginError("resource", `no AWS integration named ${JSON.stringify(config.name)} that this token can read`, { path: ["name"] });
    }
    return {
      id: i.id, integration_id: i.id, name: i.name, role_arn: i.roleArn, duration_seconds: i.durationSeconds, external_id: i.externalId ?? "",
      generate_credentials_in_worker: i.generateCredentialsInWorker, region: i.region ?? "", space_id: i.spaceId, labels: sorted(i.labels),
      // Gantry always honours autoattach labels and never tags the AssumeRole call.
      autoattach_enabled: true, tag_assume_role: false,
    };
  },
});

/** `spacelift_worker_pool`: a pool by id. Its token is shown once, at creation: `config` reads empty. */
export const workerPoolLookup = kit.dataSource({
  schema: {
    worker_pool_id: attr.string({ required: true }), id: attr.string({ computed: true }), name: attr.string({ computed: true }), description: attr.string({ computed: true }),
    space_id: attr.string({ computed: true }), labels: attr.set(t.string, { computed: true }), config: attr.string({ computed: true, sensitive: true }),
    drift_detection_run_limit: attr.int({ computed: true }),
  },
  async read({ config, client }) {
    const p = await call(client, "getWorkerPool", { params: { id: config.worker_pool_id } }, { id: "worker_pool_id" });
    return { id: p.id, name: p.name, description: p.description, space_id: p.spaceId, labels: [], config: "", drift_detection_run_limit: 0 };
  },
});

/** `spacelift_current_space`: the space of the stack whose run executes this configuration. */
export const currentSpace = kit.dataSource({
  schema: { id: attr.string({ computed: true }) },
  async read({ client }) {
    const stackId = process.env.SPACELIFT_STACK_ID ?? process.env.TF_VAR_spacelift_stack_id ?? process.env.GANTRY_STACK_ID;
    if (!stackId) throw new Error("spacelift_current_space only works inside a Gantry run (neither SPACELIFT_STACK_ID nor GANTRY_STACK_ID is set)");
    const s = await call(client, "getStack", { params: { id: stackId } });
    return { id: s.spaceId };
  },
});
