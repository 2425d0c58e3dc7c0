import { attr, block, t } from "@gantry/tfplugin";
import { kit } from "../kit.js";
import { formatCidr, parseIpv4Cidr, validateAmiId, validateInstanceType } from "../validators/index.js";
import { regionalArn } from "../support/arns.js";
import { newResourceId } from "../support/ids.js";
import { fromCloudObject, stateId, toCloudObject, updateInCloud } from "../support/cloud-objects.js";
import { planTagsAll, tagAttributes } from "../support/tags.js";

const TYPE = "aws_instance";
const computedId = { computed: true, useStateForUnknown: true } as const;
const optionalComputed = { optional: true, computed: true, useStateForUnknown: true } as const;

/** `aws_instance`: an EC2 instance; `ami`, `subnet_id` and `user_data` force replacement. */
export const awsInstance = kit.resource({
  schema: {
    id: attr.string(computedId),
    arn: attr.string(computedId),
    ami: attr.string({ ...optionalComputed, requiresReplace: true, validate: validateAmiId }),
    instance_type: attr.string({ ...optionalComputed, validate: validateInstanceType }),
    subnet_id: attr.string({ ...optionalComputed, requiresReplace: true }),
    vpc_security_group_ids: attr.set(t.string, optionalComputed),
    associate_public_ip_address: attr.bool({ ...optionalComputed, requiresReplace: true }),
    availability_zone: attr.string({ ...optionalComputed, requiresReplace: true }),
    key_name: attr.string({ ...optionalComputed, requiresReplace: true }),
    iam_instance_profile: attr.string({ optional: true }),
    user_data: attr.string({ optional: true, requiresReplace: true }),
    monitoring: attr.bool({ optional: true, default: false }),
    ebs_optimized: attr.bool({ optional: true, default: false, requiresReplace: true }),
    disable_api_termination: attr.bool({ optional: true, default: false }),
    private_ip: attr.string({ ...optionalComputed, requiresReplace: true }),
    public_ip: attr.string(computedId),
    private_dns: attr.string(computedId),
    public_dns: attr.string(computedId),
    instance_state: attr.string(computedId),
    primary_network_interface_id: attr.string(computedId),
    metadata_options: block.list(
      {
        http_endpoint: attr.string({ optional: true, default: "enabled" }),
        http_tokens: attr.string({ optional: true, default: "optional", validate: (v: string) => (["optional", "required"].includes(v) ? undefined : `http_tokens must be "optional" or "required", got ${JSON.stringify(v)}`) }),
        http_put_response_hop_limit: attr.int({ optional: true, default: 1 }),
      },
      { maxItems: 1 },
    ),
    root_block_device: block.list(
      {
        volume_size: attr.int({ optional: true, default: 8 }),
        volume_type: attr.string({ optional: true, default: "gp3" }),
        encrypted: attr.bool({ optional: true, default: false }),
        delete_on_termination: attr.bool({ optional: true, default: true }),
      },
      { maxItems: 1 },
    ),
    ...tagAttributes(),
  },
  validate({ config, diagnostics }) {
    if (config.ami === null) diagnostics.error("Missing required argument", 'The argument "ami" is required: the simulator has no launch templates to take it from', ["ami"]);
    if (config.instance_type === null) diagnostics.error("Missing required argument", 'The argument "instance_type" is required: the simulator has no launch templates to take it from', ["instance_type"]);
  },
  plan: ({ planned, config, client }) => ({ planned: { ...planned, tags_all: planTagsAll(client.defaultTags, config.tags) } }),
  async create({ planned, client }) {
    const id = newResourceId("i");
    const computed = {
      id,
      arn: regionalArn(client, "ec2", `instance/${id}`),
      ami: typeof planned.ami === "string" ? planned.ami : "",
      instance_type: typeof planned.instance_type === "string" ? planned.instance_type : "t3.micro",
      subnet_id: typeof planned.subnet_id === "string" ? planned.subnet_id : "",
      vpc_security_group_ids: Array.isArray(planned.vpc_security_group_ids) ? planned.vpc_security_group_ids : [],
      associate_public_ip_address: planned.associate_public_ip_address === true,
      availability_zone: typeof planned.availability_zone === "string" ? planned.availability_zone : `${client.region}a`,
      key_name: typeof planned.key_name === "string" ? planned.key_name : "",
      private_ip: typeof planned.private_ip === "string" ? planned.private_ip : "",
      public_ip: "",
      private_dns: "",
      public_dns: "",
      instance_state: "running",
      primary_network_interface_id: newResourceId("eni"),
    };
    await client.store.update(client.scope, (file) => {
      let base = "10.0.0.0/16";
      if (computed.subnet_id !== "") {
        const subnet = file.objects["aws_subnet"]?.[computed.subnet_id];
        if (!subnet) throw new Error(`creating instance failed (InvalidSubnetID.NotFound): subnet ${computed.subnet_id} does not exist in ${client.region}`);
        base = String(subnet["cidr_block"]);
        computed.availability_zone = String(subnet["availability_zone"] ?? computed.availability_zone);
        if (subnet["map_public_ip_on_launch"] === true && planned.associate_public_ip_address === null) computed.associate_public_ip_address = true;
      }
      for (const sg of computed.vpc_security_group_ids) {
        if (!file.objects["aws_security_group"]?.[sg]) throw new Error(`creating instance failed (InvalidGroup.NotFound): security group ${sg} does not exist in ${client.region}`);
      }
      if (computed.private_ip === "") {
        const block = parseIpv4Cidr(base);
        const taken = Object.keys(file.objects[TYPE] ?? {}).length;
        computed.private_ip = typeof block === "string" ? "10.0.0.10" : formatCidr({ network: block.network + 10 + taken, prefix: 32 }).replace(/\/32$/, "");
      }
      computed.private_dns = `ip-${computed.private_ip.replace(/\./g, "-")}.ec2.internal`;
      if (computed.associate_public_ip_address) {
        computed.public_ip = `54.${(id.charCodeAt(3) % 200) + 10}.${id.charCodeAt(5) % 250}.${id.charCodeAt(7) % 250}`;
        computed.public_dns = `ec2-${computed.public_ip.replace(/\./g, "-")}.compute-1.amazonaws.com`;
      }
      (file.objects[TYPE] ??= {})[id] = toCloudObject({ ...planned, ...computed });
    });
    return computed;
  },
  async read({ state, client }) {
    const stored = await client.store.get(client.scope, TYPE, stateId(state.id));
    if (!stored || stored["instance_state"] === "terminated") return null;
    return fromCloudObject(client, stored, state);
  },
  update: updateInCloud(TYPE),
  async delete({ state, client }) {
    if (state.disable_api_termination) throw new Error(`terminating ${String(state.id)} failed (OperationNotPermitted): disable_api_termination is true; set it to false and apply first`);
    await client.store.remove(client.scope, TYPE, stateId(state.id));
  },
  import: ({ id }) => ({ id }),
});
