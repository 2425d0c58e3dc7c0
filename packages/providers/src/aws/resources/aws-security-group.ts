import { attr, block, t } from "@gantry/tfplugin";
import type { Diagnostic, ValidateAttributeContext } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { validateCidr } from "../validators/index.js";
import { regionalArn } from "../support/arns.js";
import { generatedName, newResourceId } from "../support/ids.js";
import { readFromCloud, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";

const TYPE = "aws_security_group";
const computedId = { computed: true, useStateForUnknown: true } as const;
const PROTOCOLS = ["-1", "all", "tcp", "udp", "icmp", "icmpv6"];

function validateCidrList(values: string[], ctx: ValidateAttributeContext): Diagnostic[] {
  return values.flatMap((value, i) => {
    const message = validateCidr(value);
    return message ? [{ severity: "error" as const, summary: "Invalid CIDR block", detail: message, path: [...ctx.path, i] }] : [];
  });
}

function validatePort(value: number): string | undefined {
  return value < -1 || value > 65535 ? `port ${value} is out of range: use 0-65535 (or -1 with protocol "-1")` : undefined;
}

function validateProtocol(value: string): string | undefined {
  return PROTOCOLS.includes(value) || /^\d{1,3}$/.test(value) ? undefined : `protocol ${JSON.stringify(value)} is not valid: use tcp, udp, icmp, icmpv6, -1 (all) or a protocol number`;
}

/**
 * One `ingress`/`egress` rule, with the AWS provider's attribute names. Defaults make unset
 * fields read `[]`, `false` and `""` in plans, as real AWS plans show them.
 */
const rule = {
  from_port: attr.int({ required: true, validate: validatePort }),
  to_port: attr.int({ required: true, validate: validatePort }),
  protocol: attr.string({ required: true, validate: validateProtocol }),
  cidr_blocks: attr.list(t.string, { optional: true, default: [], validate: validateCidrList }),
  ipv6_cidr_blocks: attr.list(t.string, { optional: true, default: [] }),
  prefix_list_ids: attr.list(t.string, { optional: true, default: [] }),
  security_groups: attr.set(t.string, { optional: true, default: [] }),
  self: attr.bool({ optional: true, default: false }),
  description: attr.string({ optional: true, default: "" }),
};

/** `aws_security_group` with inline `ingress`/`egress` blocks; name, description and VPC force replacement. */
export const awsSecurityGroup = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    name: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true }),
    name_prefix: attr.string({ optional: true, requiresReplace: true }),
    description: attr.string({ optional: true, default: "Managed by Terraform", requiresReplace: true }),
    vpc_id: attr.string({ optional: true, computed: true, requiresReplace: true, useStateForUnknown: true }),
    revoke_rules_on_delete: attr.bool({ optional: true, default: false }),
    owner_id: attr.string(computedId),
    ingress: block.set(rule),
    egress: block.set(rule),
    ...tagAttributes(),
  },
  validate({ config, diagnostics }) {
    if (typeof config.name === "string" && typeof config.name_prefix === "string") diagnostics.error("Conflicting configuration arguments", '"name": conflicts with name_prefix', ["name"]);
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const id = newResourceId("sg");
    const name = typeof planned.name === "string" ? planned.name : generatedName(planned.name_prefix ?? "terraform-");
    let vpcId = typeof planned.vpc_id === "string" ? planned.vpc_id : "";
    await client.store.update(client.scope, (file) => {
      const vpcs = file.objects["aws_vpc"] ?? {};
      if (vpcId === "") vpcId = Object.keys(vpcs)[0] ?? "vpc-default";
      else if (!vpcs[vpcId]) throw new Error(`creating security group failed (InvalidVpcID.NotFound): VPC ${vpcId} does not exist in ${client.region}`);
      const clash = Object.entries(file.objects[TYPE] ?? {}).find(([, g]) => g["vpc_id"] === vpcId && g["name"] === name);
      if (clash) throw new Error(`creating security group failed (InvalidGroup.Duplicate): ${clash[0]} in ${vpcId} is already named ${name}`);
      (file.objects[TYPE] ??= {})[id] = toCloudObject({ ...planned, id, name, vpc_id: vpcId, arn: regionalArn(client, "ec2", `security-group/${id}`), owner_id: client.identity.accountId });
    });
    return { id, name, vpc_id: vpcId, arn: regionalArn(client, "ec2", `security-group/${id}`), owner_id: client.identity.accountId };
  },
  read: readFromCloud(TYPE),
  update: updateInCloud(TYPE),
  async delete({ state, client }) {
    await client.store.remove(client.scope, TYPE, stateId(state.id));
  },
  import: ({ id }) => ({ id }),
});
