/**
 * The Gantry API contract: schemas of every request and response, the endpoint table, the error
 * envelope and a typed HTTP client. Shared by the server, worker, CLI and providers.
 */
export * from "./errors.js";
export * from "./endpoint.js";
export * from "./endpoints.js";
export * from "./run-endpoints.js";
export * from "./vcs-endpoints.js";
export * from "./ui-endpoints.js";
export * from "./schedule-endpoints.js";
export * from "./notification-endpoints.js";
export * from "./dependency-endpoints.js";
export * from "./oidc-endpoints.js";
export * from "./module-endpoints.js";
export * from "./provider-endpoints.js";
export * from "./registry-token-endpoints.js";
export * from "./client.js";
export * from "./shipped-providers.js";
export * from "./schemas/common.js";
export * from "./schemas/space.js";
export * from "./schemas/stack.js";
export * from "./schemas/vendor.js";
export * from "./schemas/config.js";
export * from "./schemas/context.js";
export * from "./schemas/policy.js";
export * from "./schemas/integration.js";
export * from "./schemas/oidc.js";
export * from "./schemas/attachment.js";
export * from "./schemas/auth.js";
export * from "./schemas/audit.js";
export * from "./schemas/run.js";
export * from "./schemas/worker.js";
export * from "./schemas/state.js";
export * from "./schemas/vcs.js";
export * from "./schemas/overview.js";
export * from "./schemas/views.js";
export * from "./schemas/drift.js";
export * from "./schemas/schedule.js";
export * from "./schemas/notification.js";
export * from "./schemas/dependency.js";
export * from "./schemas/module.js";
export * from "./schemas/provider.js";
