import { attr, block, t } from "@gantry/tfplugin";

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** The `provider "aws" { ... }` block: the AWS provider's own names, plus `sim_dir`. */
export const providerSchema = {
  region: attr.string({ optional: true, validate: (v: string) => (REGION.test(v) ? undefined : `${JSON.stringify(v)} is not an AWS region name, e.g. us-east-1`) }),
  sim_dir: attr.string({ optional: true, description: "Directory of the simulated cloud (default: AWS_SIM_DIR, else .aws-sim in the working directory)." }),
  access_key: attr.string({ optional: true, sensitive: true, description: "Refused: the simulator accepts only web identity credentials." }),
  secret_key: attr.string({ optional: true, sensitive: true, description: "Refused: the simulator accepts only web identity credentials." }),
  token: attr.string({ optional: true, sensitive: true }),
  profile: attr.string({ optional: true }),
  allowed_account_ids: attr.set(t.string, { optional: true }),
  forbidden_account_ids: attr.set(t.string, { optional: true }),
  default_tags: block.single({ tags: attr.map(t.string, { optional: true }) }),
  assume_role_with_web_identity: block.single({
    role_arn: attr.string({ optional: true }),
    session_name: attr.string({ optional: true }),
    web_identity_token: attr.string({ optional: true, sensitive: true }),
    web_identity_token_file: attr.string({ optional: true }),
  }),
};
