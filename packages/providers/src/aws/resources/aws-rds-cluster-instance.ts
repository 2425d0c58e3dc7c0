import { attr } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { validateClusterEngine, validateDbInstanceClass, validateRdsIdentifier } from "../validators/index.js";
import { regionalArn } from "../support/arns.js";
import { generatedName, newUniqueId } from "../support/ids.js";
import { known } from "../support/pick.js";
import { readFromCloud, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";
import { rdsHost } from "../support/rds.js";

const TYPE = "aws_rds_cluster_instance";
const computedId = { computed: true, useStateForUnknown: true } as const;
const optionalComputed = { optional: true, computed: true, useStateForUnknown: true } as const;

/** `aws_rds_cluster_instance`: a member of an `aws_rds_cluster`; its engine must match the cluster's. */
export const awsRdsClusterInstance = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    dbi_resource_id: attr.string(computedId),
    identifier: attr.string({ ...optionalComputed, requiresReplace: true, validate: validateRdsIdentifier }),
    identifier_prefix: attr.string({ optional: true, requiresReplace: true }),
    cluster_identifier: attr.string({ required: true, requiresReplace: true }),
    engine: attr.string({ required: true, requiresReplace: true, validate: validateClusterEngine }),
    engine_version: attr.string(optionalComputed),
    instance_class: attr.string({ required: true, validate: validateDbInstanceClass }),
    publicly_accessible: attr.bool({ optional: true, default: false }),
    db_subnet_group_name: attr.string({ ...optionalComputed, requiresReplace: true }),
    db_parameter_group_name: attr.string(optionalComputed),
    availability_zone: attr.string({ ...optionalComputed, requiresReplace: true }),
    promotion_tier: attr.int({ optional: true, default: 0 }),
    auto_minor_version_upgrade: attr.bool({ optional: true, default: true }),
    apply_immediately: attr.bool(optionalComputed),
    endpoint: attr.string(computedId),
    port: attr.int(computedId),
    writer: attr.bool(computedId),
    storage_encrypted: attr.bool(computedId),
    kms_key_id: attr.string(computedId),
    ...tagAttributes(),
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const identifier = known(planned.identifier, generatedName(planned.identifier_prefix ?? "tf-"));
    const computed = {
      id: identifier,
      identifier,
      arn: regionalArn(client, "rds", `db:${identifier}`),
      dbi_resource_id: `db-${newUniqueId("")}`,
      engine_version: "",
      db_subnet_group_name: known(planned.db_subnet_group_name, "default"),
      db_parameter_group_name: known(planned.db_parameter_group_name, ""),
      availability_zone: known(planned.availability_zone, `${client.region}a`),
      apply_immediately: known(planned.apply_immediately, false),
      endpoint: rdsHost(identifier, "instance", client.region),
      port: 0,
      writer: false,
      storage_encrypted: false,
      kms_key_id: "",
    };
    await client.store.update(client.scope, (file) => {
      const cluster = file.objects["aws_rds_cluster"]?.[planned.cluster_identifier];
      if (!cluster) throw new Error(`creating cluster instance ${identifier} failed (DBClusterNotFoundFault): cluster ${planned.cluster_identifier} does not exist in ${client.region}`);
      if (cluster["engine"] !== planned.engine) {
        throw new Error(`creating cluster instance ${identifier} failed (InvalidParameterCombination): engine ${planned.engine} does not match cluster ${planned.cluster_identifier}'s engine ${String(cluster["engine"])}`);
      }
      if (file.objects[TYPE]?.[identifier]) throw new Error(`creating cluster instance ${identifier} failed (DBInstanceAlreadyExists): choose another identifier or import it`);
      const members = Object.values(file.objects[TYPE] ?? {}).filter((i) => i["cluster_identifier"] === planned.cluster_identifier);
      computed.writer = members.length === 0;
      computed.engine_version = known(planned.engine_version, String(cluster["engine_version"] ?? ""));
      computed.port = typeof cluster["port"] === "number" ? cluster["port"] : 5432;
      computed.storage_encrypted = cluster["storage_encrypted"] === true;
      computed.kms_key_id = String(cluster["kms_key_id"] ?? "");
      computed.db_parameter_group_name = known(planned.db_parameter_group_name, `default.${planned.engine}`);
      (file.objects[TYPE] ??= {})[identifier] = toCloudObject({ ...planned, ...computed });
    });
    return computed;
  },
  read: readFromCloud(TYPE, { omit: ["apply_immediately"] }),
  update: updateInCloud(TYPE),
  async delete({ state, client }) {
    await client.store.remove(client.scope, TYPE, stateId(state.id));
  },
  import: ({ id }) => ({ id }),
});
