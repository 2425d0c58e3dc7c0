import { attr } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { cidrContains, cidrOverlaps, parseIpv4Cidr, validateVpcCidr } from "../validators/index.js";
import type { Ipv4Cidr } from "../validators/index.js";
import { regionalArn } from "../support/arns.js";
import { newResourceId } from "../support/ids.js";
import { readFromCloud, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";

const TYPE = "aws_subnet";
const computedId = { computed: true, useStateForUnknown: true } as const;

/** `aws_subnet`: must lie inside its VPC's block and not overlap a sibling, as EC2 checks. */
export const awsSubnet = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    vpc_id: attr.string({ required: true, requiresReplace: true }),
    cidr_block: attr.string({ required: true, requiresReplace: true, validate: validateVpcCidr }),
    availability_zone: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true }),
    availability_zone_id: attr.string(computedId),
    map_public_ip_on_launch: attr.bool({ optional: true, default: false }),
    assign_ipv6_address_on_creation: attr.bool({ optional: true, default: false }),
    owner_id: attr.string(computedId),
    ...tagAttributes(),
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const id = newResourceId("subnet");
    const zone = planned.availability_zone;
    const computed = {
      id,
      arn: regionalArn(client, "ec2", `subnet/${id}`),
      availability_zone: typeof zone === "string" ? zone : `${client.region}a`,
      availability_zone_id: "",
      owner_id: client.identity.accountId,
    };
    computed.availability_zone_id = `${client.region.replace(/-(\w)\w*-/, "$1").slice(0, 4)}-az${computed.availability_zone.slice(-1).charCodeAt(0) - 96}`;
    await client.store.update(client.scope, (file) => {
      const vpc = file.objects["aws_vpc"]?.[planned.vpc_id];
      if (!vpc) throw new Error(`creating subnet failed (InvalidVpcID.NotFound): VPC ${planned.vpc_id} does not exist in ${client.region}`);
      const block = parseIpv4Cidr(planned.cidr_block) as Ipv4Cidr;
      const vpcBlock = parseIpv4Cidr(String(vpc["cidr_block"]));
      if (typeof vpcBlock !== "string" && !cidrContains(vpcBlock, block)) {
        throw new Error(`creating subnet failed (InvalidSubnet.Range): ${planned.cidr_block} is not within VPC ${planned.vpc_id}'s block ${String(vpc["cidr_block"])}`);
      }
      for (const [otherId, other] of Object.entries(file.objects[TYPE] ?? {})) {
        const otherBlock = parseIpv4Cidr(String(other["cidr_block"]));
        if (other["vpc_id"] === planned.vpc_id && typeof otherBlock !== "string" && cidrOverlaps(block, otherBlock)) {
          throw new Error(`creating subnet failed (InvalidSubnet.Conflict): ${planned.cidr_block} overlaps ${otherId} (${String(other["cidr_block"])})`);
        }
      }
      (file.objects[TYPE] ??= {})[id] = toCloudObject({ ...planned, ...computed });
    });
    return computed;
  },
  read: readFromCloud(TYPE),
  update: updateInCloud(TYPE),
  async delete({ state, client }) {
    const id = stateId(state.id);
    await client.store.update(client.scope, (file) => {
      const users = Object.keys(file.objects["aws_instance"] ?? {}).filter((i) => file.objects["aws_instance"]?.[i]?.["subnet_id"] === id);
      if (users.length > 0) throw new Error(`deleting ${id} failed (DependencyViolation): instances ${users.join(", ")} still use it`);
      delete file.objects[TYPE]?.[id];
    });
  },
  import: ({ id }) => ({ id }),
});
