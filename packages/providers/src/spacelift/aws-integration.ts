import { attr } from "@gantry/tfplugin";
import { awsIntegration } from "../gantry/resources/aws-integration.js";
import { alias } from "./alias.js";

/**
 * `spacelift_aws_integration`: Gantry's AWS integration (runs assume the role with Gantry's OIDC
 * token, or the worker does with `generate_credentials_in_worker`), with Spacelift's default
 * duration (900 s).
 */
export const spaceliftAwsIntegration = alias(awsIntegration, {
  fields: {
    duration_seconds: attr.int({ optional: true, default: 900 }),
    autoattach_enabled: attr.bool({ optional: true }),
    tag_assume_role: attr.bool({ optional: true }),
  },
  unsupported: {
    autoattach_enabled: { effect: "warn", unless: true, why: "Gantry always honours autoattach: labels on AWS integrations; remove the label to stop auto-attaching." },
    tag_assume_role: { effect: "warn", unless: false, why: "Gantry does not tag the AssumeRole call; the run's identity token carries the run and stack ids as claims (docs/oidc.md)." },
  },
});
