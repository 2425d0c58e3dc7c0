import { attr } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { validateBucketName } from "../validators/index.js";
import { generatedName } from "../support/ids.js";
import { fromCloudObject, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";

const TYPE = "aws_s3_bucket";
const computedId = { computed: true, useStateForUnknown: true } as const;
const CANNED_ACLS = ["private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "log-delivery-write"];

/** Route 53 hosted zone ids of S3 website endpoints, by region (what the AWS provider reports). */
const HOSTED_ZONES: { [region: string]: string } = { "us-east-1": "Z3AQBSTGFYJSTF", "us-east-2": "Z2O1EMRO9K5GLX", "us-west-2": "Z3BJ6K6RIION7M", "eu-west-1": "Z1BKCTXD74EZPE", "eu-central-1": "Z21DNDUVLTQW6Q" };

/** `aws_s3_bucket`: the bucket name forces replacement; deleting a non-empty bucket needs force_destroy. */
export const awsS3Bucket = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    bucket: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true, validate: validateBucketName }),
    bucket_prefix: attr.string({ optional: true, requiresReplace: true }),
    acl: attr.string({ optional: true, deprecated: "acl is deprecated; use the aws_s3_bucket_acl resource instead", validate: (v: string) => (CANNED_ACLS.includes(v) ? undefined : `acl ${JSON.stringify(v)} is not a canned ACL: use one of ${CANNED_ACLS.join(", ")}`) }),
    force_destroy: attr.bool({ optional: true, default: false }),
    object_lock_enabled: attr.bool({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true }),
    bucket_domain_name: attr.string(computedId),
    bucket_regional_domain_name: attr.string(computedId),
    hosted_zone_id: attr.string(computedId),
    region: attr.string(computedId),
    ...tagAttributes(),
  },
  validate({ config, diagnostics }) {
    if (typeof config.bucket === "string" && typeof config.bucket_prefix === "string") diagnostics.error("Conflicting configuration arguments", '"bucket": conflicts with bucket_prefix', ["bucket"]);
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const name = typeof planned.bucket === "string" ? planned.bucket : generatedName(planned.bucket_prefix ?? "terraform-");
    const computed = {
      id: name,
      bucket: name,
      arn: `arn:aws:s3:::${name}`,
      object_lock_enabled: planned.object_lock_enabled === true,
      bucket_domain_name: `${name}.s3.amazonaws.com`,
      bucket_regional_domain_name: `${name}.s3.${client.region}.amazonaws.com`,
      hosted_zone_id: HOSTED_ZONES[client.region] ?? "Z3AQBSTGFYJSTF",
      region: client.region,
    };
    await client.store.update(client.scope, (file) => {
      if (file.objects[TYPE]?.[name]) throw new Error(`creating bucket ${name} failed (BucketAlreadyOwnedByYou): it already exists; choose another name or import it`);
      (file.objects[TYPE] ??= {})[name] = toCloudObject({ ...planned, ...computed });
    });
    return computed;
  },
  async read({ state, client }) {
    const stored = await client.store.get(client.scope, TYPE, stateId(state.id));
    // force_destroy is Terraform-only: after an import the schema default applies.
    return stored ? { ...fromCloudObject(client, stored, state, ["force_destroy"]), force_destroy: state.force_destroy ?? false } : null;
  },
  update: updateInCloud(TYPE),
  async delete({ state, client }) {
    const name = stateId(state.id);
    await client.store.update(client.scope, (file) => {
      const objects = file.objects[TYPE]?.[name]?.["objects"];
      if (Array.isArray(objects) && objects.length > 0 && !state.force_destroy) {
        throw new Error(`deleting bucket ${name} failed (BucketNotEmpty): it holds ${objects.length} object(s); empty it or set force_destroy = true and apply first`);
      }
      delete file.objects[TYPE]?.[name];
      delete file.objects["aws_s3_bucket_public_access_block"]?.[name];
    });
  },
  import: ({ id }) => ({ id }),
});
