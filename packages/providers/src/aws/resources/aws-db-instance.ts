import { attr, t } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { DB_ENGINES, validateDbEngine, validateDbInstanceClass, validateRdsIdentifier } from "../validators/index.js";
import { regionalArn } from "../support/arns.js";
import { generatedName, newUniqueId } from "../support/ids.js";
import { known } from "../support/pick.js";
import { fromCloudObject, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";
import { checkRdsDeletion, rdsHost, recordFinalSnapshot } from "../support/rds.js";

const TYPE = "aws_db_instance";
const computedId = { computed: true, useStateForUnknown: true } as const;
const optionalComputed = { optional: true, computed: true, useStateForUnknown: true } as const;
/** Secrets RDS never returns: kept out of the cloud file, kept from state on refresh. */
const SECRETS = ["password"];

/** `aws_db_instance`: a single RDS database; identifier, engine, username and encryption force replacement. */
export const awsDbInstance = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    resource_id: attr.string(computedId),
    identifier: attr.string({ ...optionalComputed, requiresReplace: true, validate: validateRdsIdentifier }),
    identifier_prefix: attr.string({ optional: true, requiresReplace: true }),
    engine: attr.string({ ...optionalComputed, requiresReplace: true, validate: validateDbEngine }),
    engine_version: attr.string(optionalComputed),
    instance_class: attr.string({ required: true, validate: validateDbInstanceClass }),
    allocated_storage: attr.int({ ...optionalComputed, validate: (v: number) => (v < 20 || v > 65536 ? `allocated_storage must be between 20 and 65536 GiB, got ${v}` : undefined) }),
    max_allocated_storage: attr.int({ optional: true }),
    storage_type: attr.string({ ...optionalComputed, validate: (v: string) => (["standard", "gp2", "gp3", "io1", "io2"].includes(v) ? undefined : `storage_type must be one of standard, gp2, gp3, io1, io2, got ${JSON.stringify(v)}`) }),
    storage_encrypted: attr.bool({ optional: true, default: false, requiresReplace: true }),
    kms_key_id: attr.string({ ...optionalComputed, requiresReplace: true }),
    db_name: attr.string({ ...optionalComputed, requiresReplace: true }),
    username: attr.string({ ...optionalComputed, requiresReplace: true }),
    password: attr.string({ optional: true, sensitive: true }),
    manage_master_user_password: attr.bool({ optional: true }),
    port: attr.int(optionalComputed),
    publicly_accessible: attr.bool({ optional: true, default: false }),
    multi_az: attr.bool(optionalComputed),
    availability_zone: attr.string(optionalComputed),
    backup_retention_period: attr.int(optionalComputed),
    iam_database_authentication_enabled: attr.bool({ optional: true }),
    vpc_security_group_ids: attr.set(t.string, optionalComputed),
    db_subnet_group_name: attr.string(optionalComputed),
    parameter_group_name: attr.string(optionalComputed),
    deletion_protection: attr.bool({ optional: true }),
    skip_final_snapshot: attr.bool({ optional: true, default: false }),
    final_snapshot_identifier: attr.string({ optional: true }),
    apply_immediately: attr.bool({ optional: true }),
    address: attr.string(computedId),
    endpoint: attr.string(computedId),
    hosted_zone_id: attr.string(computedId),
    status: attr.string(computedId),
    ...tagAttributes(),
  },
  validate({ config, diagnostics }) {
    if (config.engine === null) diagnostics.error("Missing required argument", 'The argument "engine" is required when not restoring from a snapshot or replicating', ["engine"]);
    if (config.allocated_storage === null) diagnostics.error("Missing required argument", 'The argument "allocated_storage" is required for this engine', ["allocated_storage"]);
    if (config.password === null && config.manage_master_user_password !== true) {
      diagnostics.error("Missing required argument", 'set "password" (or manage_master_user_password = true) so the database has a master password', ["password"]);
    }
    if (typeof config.identifier === "string" && typeof config.identifier_prefix === "string") diagnostics.error("Conflicting configuration arguments", '"identifier": conflicts with identifier_prefix', ["identifier"]);
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const identifier = typeof planned.identifier === "string" ? planned.identifier : generatedName(planned.identifier_prefix ?? "terraform-");
    const engine = typeof planned.engine === "string" ? planned.engine : "postgres";
    const info = DB_ENGINES[engine] ?? { defaultVersion: "", port: 5432 };
    const port = typeof planned.port === "number" ? planned.port : info.port;
    const address = rdsHost(identifier, "instance", client.region);
    const computed = {
      id: `db-${newUniqueId("").slice(0, 26)}`,
      arn: regionalArn(client, "rds", `db:${identifier}`),
      resource_id: `db-${newUniqueId("")}`,
      identifier,
      engine,
      engine_version: known(planned.engine_version, info.defaultVersion),
      allocated_storage: known(planned.allocated_storage, 20),
      storage_type: known(planned.storage_type, "gp2"),
      kms_key_id: planned.storage_encrypted ? known(planned.kms_key_id, `arn:aws:kms:${client.region}:${client.identity.accountId}:key/aws-rds`) : known(planned.kms_key_id, ""),
      db_name: known(planned.db_name, ""),
      username: known(planned.username, "admin"),
      port,
      multi_az: known(planned.multi_az, false),
      availability_zone: known(planned.availability_zone, `${client.region}a`),
      backup_retention_period: known(planned.backup_retention_period, 0),
      vpc_security_group_ids: Array.isArray(planned.vpc_security_group_ids) ? planned.vpc_security_group_ids : [],
      db_subnet_group_name: known(planned.db_subnet_group_name, "default"),
      parameter_group_name: known(planned.parameter_group_name, `default.${engine}${String(known(planned.engine_version, info.defaultVersion)).split(".")[0]}`),
      address,
      endpoint: `${address}:${port}`,
      hosted_zone_id: "Z2R2ITUGPM61AM",
      status: "available",
    };
    computed.id = computed.resource_id;
    await client.store.update(client.scope, (file) => {
      if (Object.values(file.objects[TYPE] ?? {}).some((db) => db["identifier"] === identifier)) {
        throw new Error(`creating DB instance ${identifier} failed (DBInstanceAlreadyExists): choose another identifier or import it`);
      }
      (file.objects[TYPE] ??= {})[computed.id] = toCloudObject({ ...planned, ...computed }, SECRETS);
    });
    return computed;
  },
  async read({ state, client }) {
    const stored = await client.store.get(client.scope, TYPE, stateId(state.id));
    if (!stored) return null;
    // Terraform-only settings: after an import the schema default applies.
    return { ...fromCloudObject(client, stored, state, [...SECRETS, "skip_final_snapshot", "final_snapshot_identifier", "apply_immediately"]), skip_final_snapshot: state.skip_final_snapshot ?? false };
  },
  update: updateInCloud(TYPE, { omit: SECRETS }),
  async delete({ state, client }) {
    checkRdsDeletion(`DB instance ${String(state.identifier)}`, state);
    await client.store.update(client.scope, (file) => {
      recordFinalSnapshot(file, "aws_db_snapshot", state.skip_final_snapshot ? null : state.final_snapshot_identifier, String(state.arn));
      delete file.objects[TYPE]?.[stateId(state.id)];
    });
  },
  /** Imports by identifier (as the AWS provider does) or by resource id. */
  async import({ id, client }) {
    const file = await client.store.read(client.scope);
    const found = Object.entries(file.objects[TYPE] ?? {}).find(([key, db]) => key === id || db["identifier"] === id);
    return found ? { id: found[0] } : null;
  },
});
