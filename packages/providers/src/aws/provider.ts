import { resolve } from "node:path";
import { TfPluginError } from "@gantry/tfplugin";
import type { Provider } from "@gantry/tfplugin";
import { kit } from "./kit.js";
import type { SimClient } from "./client.js";
import type { SimEnvironment } from "./environment.js";
import { providerSchema } from "./provider-schema.js";
import { CloudStore } from "./cloud/cloud-store.js";
import { GLOBAL_REGION } from "./cloud/cloud-file.js";
import { resolveCredentials } from "./credentials/resolve-credentials.js";
import { ProvidersError } from "../errors.js";
import { awsS3Bucket } from "./resources/aws-s3-bucket.js";
import { awsS3BucketPublicAccessBlock } from "./resources/aws-s3-bucket-public-access-block.js";
import { awsDbInstance } from "./resources/aws-db-instance.js";
import { awsRdsCluster } from "./resources/aws-rds-cluster.js";
import { awsRdsClusterInstance } from "./resources/aws-rds-cluster-instance.js";
import { awsInstance } from "./resources/aws-instance.js";
import { awsVpc } from "./resources/aws-vpc.js";
import { awsSubnet } from "./resources/aws-subnet.js";
import { awsSecurityGroup } from "./resources/aws-security-group.js";
import { awsIamRole } from "./resources/aws-iam-role.js";
import { dataAwsCallerIdentity } from "./resources/data-aws-caller-identity.js";
import { dataAwsRegion } from "./resources/data-aws-region.js";

/**
 * The AWS simulator provider (`gantry.dev/sim/aws`, local name `aws`). `env` is read once by
 * the entry point; the provider block's settings win over it.
 *
 * @example serve(createAwsSimulator(readSimEnvironment()));
 */
export function createAwsSimulator(env: SimEnvironment): Provider {
  return kit.provider({
    schema: providerSchema,
    async configure({ config }): Promise<SimClient> {
      const region = config.region ?? env.region;
      if (!region) throw new TfPluginError("resource", "region is required: set region in the provider block or AWS_REGION", { path: ["region"] });
      const store = new CloudStore(resolve(config.sim_dir ?? env.simDir ?? ".aws-sim"));
      const web = config.assume_role_with_web_identity;
      const staticSources = [...env.staticCredentialSources];
      if (config.access_key !== null || config.secret_key !== null) staticSources.push("provider access_key/secret_key");
      if (config.profile !== null) staticSources.push("provider profile");
      const inlineToken = web?.web_identity_token ?? undefined;
      let identity;
      try {
        identity = await resolveCredentials(
          {
            roleArn: web?.role_arn ?? env.roleArn,
            webIdentityToken: inlineToken,
            webIdentityTokenFile: inlineToken !== undefined ? undefined : (web?.web_identity_token_file ?? env.webIdentityTokenFile),
            sessionName: web?.session_name ?? env.roleSessionName,
            // The provider block's own role wins over keys in the environment.
            sessionCredentials: web?.role_arn ? undefined : env.sessionCredentials,
            staticCredentialSources: staticSources,
            allowAnonymous: env.allowAnonymous,
            anonymousAccountId: env.accountId,
          },
          store,
        );
      } catch (err) {
        if (err instanceof ProvidersError) throw new TfPluginError("resource", `configuring the AWS simulator failed: ${err.message}`);
        throw err;
      }
      const accountId = identity.accountId;
      if (config.allowed_account_ids && !config.allowed_account_ids.includes(accountId)) {
        throw new TfPluginError("resource", `account ${accountId} is not in allowed_account_ids`, { path: ["allowed_account_ids"] });
      }
      if (config.forbidden_account_ids?.includes(accountId)) {
        throw new TfPluginError("resource", `account ${accountId} is in forbidden_account_ids`, { path: ["forbidden_account_ids"] });
      }
      return {
        store,
        region,
        identity,
        scope: { accountId, region },
        globalScope: { accountId, region: GLOBAL_REGION },
        defaultTags: config.default_tags?.tags ?? {},
      };
    },
    resources: {
      aws_s3_bucket: awsS3Bucket,
      aws_s3_bucket_public_access_block: awsS3BucketPublicAccessBlock,
      aws_db_instance: awsDbInstance,
      aws_rds_cluster: awsRdsCluster,
      aws_rds_cluster_instance: awsRdsClusterInstance,
      aws_instance: awsInstance,
      aws_vpc: awsVpc,
      aws_subnet: awsSubnet,
      aws_security_group: awsSecurityGroup,
      aws_iam_role: awsIamRole,
    },
    dataSources: {
      aws_caller_identity: dataAwsCallerIdentity,
      aws_region: dataAwsRegion,
    },
  });
}
