import { attr } from "@gantry/tfplugin";
import { kit } from "../kit.js";

/** `data "aws_caller_identity"`: who the provider acts as (the assumed role, or the anonymous user). */
export const dataAwsCallerIdentity = kit.dataSource({
  schema: {
    id: attr.string({ computed: true }),
    account_id: attr.string({ computed: true }),
    arn: attr.string({ computed: true }),
    user_id: attr.string({ computed: true }),
  },
  read: ({ client }) => ({ id: client.identity.accountId, account_id: client.identity.accountId, arn: client.identity.arn, user_id: client.identity.userId }),
});
