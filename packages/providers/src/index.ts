/**
 * @gantry/providers: Terraform providers written with @gantry/tfplugin. For now the AWS
 * simulator (`gantry.dev/sim/aws`): its provider definition, its simulated cloud store and the
 * credentials check, for tests and tools that seed or inspect the simulated cloud.
 */
export { createAwsSimulator } from "./aws/provider.js";
export { readSimEnvironment } from "./aws/environment.js";
export type { SimEnvironment } from "./aws/environment.js";
export { CloudStore } from "./aws/cloud/cloud-store.js";
export { GLOBAL_REGION, CLOUD_FILE_FORMAT } from "./aws/cloud/cloud-file.js";
export type { CloudFile, CloudObject, CloudScope, JsonValue } from "./aws/cloud/cloud-file.js";
export { resolveCredentials } from "./aws/credentials/resolve-credentials.js";
export type { CredentialSettings } from "./aws/credentials/resolve-credentials.js";
export type { CallerIdentity } from "./aws/credentials/caller-identity.js";
export { evaluateTrustPolicy, parseTrustPolicy } from "./aws/credentials/trust-policy.js";
export type { TrustPolicy, TrustStatement } from "./aws/credentials/trust-policy.js";
export { ProvidersError } from "./errors.js";
export type { ProvidersErrorCode } from "./errors.js";
export { startSimulatedSts } from "./aws/sts/sts-server.js";
export type { SimulatedSts } from "./aws/sts/sts-server.js";
