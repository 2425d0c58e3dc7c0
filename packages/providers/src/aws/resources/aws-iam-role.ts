import { attr, t } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { validateIamRoleName, validatePolicyDocument } from "../validators/index.js";
import { iamArn } from "../support/arns.js";
import { generatedName, newUniqueId } from "../support/ids.js";
import { fromCloudObject, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";

const TYPE = "aws_iam_role";
const computedId = { computed: true, useStateForUnknown: true } as const;

/** True when two policy documents are the same JSON (IAM reformats documents; the provider ignores that). */
function samePolicy(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/**
 * `aws_iam_role`, kept in the account's global file. Its `assume_role_policy` is the trust policy
 * the simulator's credentials check evaluates for AssumeRoleWithWebIdentity.
 */
export const awsIamRole = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    unique_id: attr.string(computedId),
    create_date: attr.string(computedId),
    name: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, validate: validateIamRoleName }),
    name_prefix: attr.string({ optional: true, requiresReplace: true }),
    path: attr.string({ optional: true, default: "/", requiresReplace: true }),
    description: attr.string({ optional: true }),
    assume_role_policy: attr.string({ required: true, validate: validatePolicyDocument }),
    max_session_duration: attr.int({ optional: true, default: 3600, validate: (v: number) => (v < 3600 || v > 43200 ? `max_session_duration must be between 3600 and 43200 seconds, got ${v}` : undefined) }),
    permissions_boundary: attr.string({ optional: true }),
    force_detach_policies: attr.bool({ optional: true, default: false }),
    managed_policy_arns: attr.set(t.string, { optional: true, computed: true, useStateForUnknown: true }),
    ...tagAttributes(),
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const name = typeof planned.name === "string" ? planned.name : generatedName(planned.name_prefix ?? "terraform-");
    const computed = {
      id: name,
      name,
      arn: iamArn(client, `role${planned.path}${name}`),
      unique_id: newUniqueId("AROA"),
      create_date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      managed_policy_arns: Array.isArray(planned.managed_policy_arns) ? planned.managed_policy_arns : [],
    };
    await client.store.update(client.globalScope, (file) => {
      if (file.objects[TYPE]?.[name]) throw new Error(`creating IAM role ${name} failed (EntityAlreadyExists): choose another name or import it`);
      (file.objects[TYPE] ??= {})[name] = toCloudObject({ ...planned, ...computed });
    });
    return computed;
  },
  async read({ state, client }) {
    const stored = await client.store.get(client.globalScope, TYPE, stateId(state.id));
    if (!stored) return null;
    // Not kept by IAM: after an import the state has none, and the schema default applies.
    const refreshed = { ...fromCloudObject(client, stored, state, ["force_detach_policies"]), force_detach_policies: state.force_detach_policies ?? false };
    // IAM returns policies re-encoded; only a change in meaning is drift.
    if (samePolicy(refreshed.assume_role_policy, state.assume_role_policy)) refreshed.assume_role_policy = state.assume_role_policy;
    return refreshed;
  },
  update: updateInCloud(TYPE, { global: true }),
  async delete({ state, client }) {
    await client.store.remove(client.globalScope, TYPE, stateId(state.id));
  },
  import: ({ id }) => ({ id }),
});
