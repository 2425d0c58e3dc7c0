import { attr } from "@gantry/tfplugin";
import { kit } from "../kit.js";

const DESCRIPTIONS: { [region: string]: string } = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "eu-west-1": "Europe (Ireland)",
  "eu-west-2": "Europe (London)",
  "eu-central-1": "Europe (Frankfurt)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
};

/** `data "aws_region"`: the provider's region (or the named one). */
export const dataAwsRegion = kit.dataSource({
  schema: {
    id: attr.string({ computed: true }),
    name: attr.string({ optional: true, computed: true }),
    description: attr.string({ computed: true }),
    endpoint: attr.string({ optional: true, computed: true }),
  },
  read({ config, client }) {
    const name = config.name ?? client.region;
    return { id: name, name, description: DESCRIPTIONS[name] ?? name, endpoint: config.endpoint ?? `ec2.${name}.amazonaws.com` };
  },
});
