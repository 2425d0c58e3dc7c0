import { attr, t } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { DB_ENGINES, validateClusterEngine, validateRdsIdentifier } from "../validators/index.js";
import { regionalArn } from "../support/arns.js";
import { generatedName, newUniqueId } from "../support/ids.js";
import { known } from "../support/pick.js";
import { fromCloudObject, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";
import { checkRdsDeletion, rdsHost, recordFinalSnapshot } from "../support/rds.js";

const TYPE = "aws_rds_cluster";
const computedId = { computed: true, useStateForUnknown: true } as const;
const optionalComputed = { optional: true, computed: true, useStateForUnknown: true } as const;
const SECRETS = ["master_password"];

/** `aws_rds_cluster`: an Aurora (or Multi-AZ) cluster; its id is the cluster identifier. */
export const awsRdsCluster = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    cluster_resource_id: attr.string(computedId),
    cluster_identifier: attr.string({ ...optionalComputed, requiresReplace: true, validate: validateRdsIdentifier }),
    cluster_identifier_prefix: attr.string({ optional: true, requiresReplace: true }),
    engine: attr.string({ required: true, requiresReplace: true, validate: validateClusterEngine }),
    engine_version: attr.string(optionalComputed),
    engine_mode: attr.string({ optional: true, default: "provisioned", requiresReplace: true, validate: (v: string) => (["provisioned", "serverless", "parallelquery", "global", "multimaster"].includes(v) ? undefined : `engine_mode ${JSON.stringify(v)} is not valid: use provisioned, serverless, parallelquery, global or multimaster`) }),
    database_name: attr.string({ ...optionalComputed, requiresReplace: true }),
    master_username: attr.string({ ...optionalComputed, requiresReplace: true }),
    master_password: attr.string({ optional: true, sensitive: true }),
    port: attr.int(optionalComputed),
    storage_encrypted: attr.bool({ ...optionalComputed, requiresReplace: true }),
    kms_key_id: attr.string({ ...optionalComputed, requiresReplace: true }),
    availability_zones: attr.set(t.string, optionalComputed),
    vpc_security_group_ids: attr.set(t.string, optionalComputed),
    db_subnet_group_name: attr.string({ ...optionalComputed, requiresReplace: true }),
    backup_retention_period: attr.int({ optional: true, default: 1 }),
    preferred_backup_window: attr.string(optionalComputed),
    iam_database_authentication_enabled: attr.bool({ optional: true }),
    deletion_protection: attr.bool({ optional: true }),
    skip_final_snapshot: attr.bool({ optional: true, default: false }),
    final_snapshot_identifier: attr.string({ optional: true }),
    apply_immediately: attr.bool(optionalComputed),
    cluster_members: attr.set(t.string, optionalComputed),
    endpoint: attr.string(computedId),
    reader_endpoint: attr.string(computedId),
    hosted_zone_id: attr.string(computedId),
    ...tagAttributes(),
  },
  validate({ config, diagnostics }) {
    if (typeof config.cluster_identifier === "string" && typeof config.cluster_identifier_prefix === "string") diagnostics.error("Conflicting configuration arguments", '"cluster_identifier": conflicts with cluster_identifier_prefix', ["cluster_identifier"]);
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const identifier = known(planned.cluster_identifier, generatedName(planned.cluster_identifier_prefix ?? "tf-"));
    const info = DB_ENGINES[planned.engine] ?? { defaultVersion: "", port: 5432 };
    const encrypted = known(planned.storage_encrypted, false);
    const computed = {
      id: identifier,
      arn: regionalArn(client, "rds", `cluster:${identifier}`),
      cluster_resource_id: `cluster-${newUniqueId("")}`,
      cluster_identifier: identifier,
      engine_version: known(planned.engine_version, info.defaultVersion),
      database_name: known(planned.database_name, ""),
      master_username: known(planned.master_username, "admin"),
      port: known(planned.port, info.port),
      storage_encrypted: encrypted,
      kms_key_id: known(planned.kms_key_id, encrypted ? `arn:aws:kms:${client.region}:${client.identity.accountId}:key/aws-rds` : ""),
      availability_zones: Array.isArray(planned.availability_zones) ? planned.availability_zones : ["a", "b", "c"].map((z) => `${client.region}${z}`),
      vpc_security_group_ids: Array.isArray(planned.vpc_security_group_ids) ? planned.vpc_security_group_ids : [],
      db_subnet_group_name: known(planned.db_subnet_group_name, "default"),
      preferred_backup_window: known(planned.preferred_backup_window, "07:00-09:00"),
      apply_immediately: known(planned.apply_immediately, false),
      cluster_members: [] as string[],
      endpoint: rdsHost(identifier, "cluster", client.region),
      reader_endpoint: rdsHost(identifier, "cluster-ro", client.region),
      hosted_zone_id: "Z2R2ITUGPM61AM",
    };
    await client.store.update(client.scope, (file) => {
      if (file.objects[TYPE]?.[identifier]) throw new Error(`creating RDS cluster ${identifier} failed (DBClusterAlreadyExistsFault): choose another identifier or import it`);
      (file.objects[TYPE] ??= {})[identifier] = toCloudObject({ ...planned, ...computed }, SECRETS);
    });
    return computed;
  },
  async read({ state, client }) {
    const stored = await client.store.get(client.scope, TYPE, stateId(state.id));
    if (!stored) return null;
    // Terraform-only settings: after an import the schema default applies.
    return { ...fromCloudObject(client, stored, state, [...SECRETS, "skip_final_snapshot", "final_snapshot_identifier", "apply_immediately", "cluster_members"]), skip_final_snapshot: state.skip_final_snapshot ?? false };
  },
  update: updateInCloud(TYPE, { omit: SECRETS }),
  async delete({ state, client }) {
    const id = stateId(state.id);
    checkRdsDeletion(`RDS cluster ${id}`, state);
    await client.store.update(client.scope, (file) => {
      const members = Object.values(file.objects["aws_rds_cluster_instance"] ?? {}).filter((i) => i["cluster_identifier"] === id);
      if (members.length > 0) throw new Error(`deleting RDS cluster ${id} failed (InvalidDBClusterStateFault): it still has ${members.length} instance(s); delete them first`);
      recordFinalSnapshot(file, "aws_db_cluster_snapshot", state.skip_final_snapshot ? null : state.final_snapshot_identifier, String(state.arn));
      delete file.objects[TYPE]?.[id];
    });
  },
  import: ({ id }) => ({ id }),
});
