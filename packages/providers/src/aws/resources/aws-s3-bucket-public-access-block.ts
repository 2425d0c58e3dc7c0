import { attr } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { readFromCloud, stateId, toCloudObject } from "../support/cloud-objects.js";

const TYPE = "aws_s3_bucket_public_access_block";

/** `aws_s3_bucket_public_access_block`: the four switches plan policies check; one per bucket, keyed by its name. */
export const awsS3BucketPublicAccessBlock = kit.resource({
  schema: {
    id: attr.string({ computed: true, useStateForUnknown: true }),
    bucket: attr.string({ required: true, requiresReplace: true }),
    block_public_acls: attr.bool({ optional: true, default: false }),
    block_public_policy: attr.bool({ optional: true, default: false }),
    ignore_public_acls: attr.bool({ optional: true, default: false }),
    restrict_public_buckets: attr.bool({ optional: true, default: false }),
  },
  async create({ planned, client }) {
    await client.store.update(client.scope, (file) => {
      if (!file.objects["aws_s3_bucket"]?.[planned.bucket]) throw new Error(`creating public access block failed (NoSuchBucket): bucket ${planned.bucket} does not exist in ${client.region}`);
      (file.objects[TYPE] ??= {})[planned.bucket] = toCloudObject({ ...planned, id: planned.bucket });
    });
    return { id: planned.bucket };
  },
  read: readFromCloud(TYPE),
  async update({ prior, planned, client }) {
    await client.store.put(client.scope, TYPE, stateId(prior.id), toCloudObject({ ...planned, id: prior.id }));
    return { id: prior.id };
  },
  async delete({ state, client }) {
    await client.store.remove(client.scope, TYPE, stateId(state.id));
  },
  import: ({ id }) => ({ id, bucket: id }),
});
