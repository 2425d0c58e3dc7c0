import { attr } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { validateVpcCidr } from "../validators/index.js";
import { regionalArn } from "../support/arns.js";
import { newResourceId } from "../support/ids.js";
import { readFromCloud, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";

const TYPE = "aws_vpc";
const computedId = { computed: true, useStateForUnknown: true } as const;

/** `aws_vpc`: a virtual network; `cidr_block` and `instance_tenancy` force replacement. */
export const awsVpc = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    cidr_block: attr.string({ required: true, requiresReplace: true, validate: validateVpcCidr }),
    instance_tenancy: attr.string({ optional: true, default: "default", requiresReplace: true, validate: (v: string) => (["default", "dedicated"].includes(v) ? undefined : `instance_tenancy must be "default" or "dedicated", got ${JSON.stringify(v)}`) }),
    enable_dns_support: attr.bool({ optional: true, default: true }),
    enable_dns_hostnames: attr.bool({ optional: true, default: false }),
    assign_generated_ipv6_cidr_block: attr.bool({ optional: true, default: false }),
    ipv6_cidr_block: attr.string(computedId),
    main_route_table_id: attr.string(computedId),
    default_route_table_id: attr.string(computedId),
    default_network_acl_id: attr.string(computedId),
    default_security_group_id: attr.string(computedId),
    dhcp_options_id: attr.string(computedId),
    owner_id: attr.string(computedId),
    ...tagAttributes(),
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const id = newResourceId("vpc");
    const computed = {
      id,
      arn: regionalArn(client, "ec2", `vpc/${id}`),
      ipv6_cidr_block: planned.assign_generated_ipv6_cidr_block ? `2600:1f18:${id.slice(4, 8)}:${id.slice(8, 10)}00::/56` : "",
      main_route_table_id: newResourceId("rtb"),
      default_route_table_id: newResourceId("rtb"),
      default_network_acl_id: newResourceId("acl"),
      default_security_group_id: newResourceId("sg"),
      dhcp_options_id: newResourceId("dopt"),
      owner_id: client.identity.accountId,
    };
    computed.default_route_table_id = computed.main_route_table_id;
    await client.store.put(client.scope, TYPE, id, toCloudObject({ ...planned, ...computed }));
    return computed;
  },
  read: readFromCloud(TYPE),
  update: updateInCloud(TYPE),
  async delete({ state, client }) {
    const id = stateId(state.id);
    await client.store.update(client.scope, (file) => {
      const dependents = Object.values(file.objects["aws_subnet"] ?? {}).filter((s) => s["vpc_id"] === id);
      if (dependents.length > 0) throw new Error(`deleting ${id} failed (DependencyViolation): the VPC still has ${dependents.length} subnet(s); delete them first`);
      delete file.objects[TYPE]?.[id];
    });
  },
  import: ({ id }) => ({ id }),
});
