import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { dependencyEndpoints } from "./dependency-endpoints.js";
import { runEndpoints } from "./run-endpoints.js";
import { uiEndpoints } from "./ui-endpoints.js";
import { scheduleEndpoints } from "./schedule-endpoints.js";
import { vcsEndpoints } from "./vcs-endpoints.js";
import { notificationEndpoints } from "./notification-endpoints.js";
import { oidcEndpoints } from "./oidc-endpoints.js";
import { moduleEndpoints } from "./module-endpoints.js";
import { providerEndpoints } from "./provider-endpoints.js";
import { registryTokenEndpoints } from "./registry-token-endpoints.js";
import { AuditEvent, AuditQuery } from "./schemas/audit.js";
import {
  ApiKey, CreateApiKey, CreatedApiKey, CreateRoleBinding, CreateTeam, CreateUser, LoginRequest, Me,
  RoleBinding, RoleBindingQuery, Session, Team, TeamMemberParams, UpdateUser, User,
} from "./schemas/auth.js";
import {
  Attachment, AttachContextBody, AttachIntegrationBody, StackEntityParams, StackExplanation,
} from "./schemas/attachment.js";
import { IdParams, page, PageQuery } from "./schemas/common.js";
import { ConfigElements, EnvironmentVariable, FileQuery, MountedFile, PutMountedFile, PutVariable, VariableParams } from "./schemas/config.js";
import { Context, CreateContext, UpdateContext } from "./schemas/context.js";
import { AwsIntegration, CreateAwsIntegration, UpdateAwsIntegration } from "./schemas/integration.js";
import { CreatePolicy, Policy, POLICY_REQUEST_MAX_BYTES, PolicyListQuery, PolicySimulation, SimulatePolicy, UpdatePolicy } from "./schemas/policy.js";
import { CreateSpace, Space, UpdateSpace } from "./schemas/space.js";
import { CreateStack, Stack, StackListItem, StackListQuery, UpdateStack } from "./schemas/stack.js";

const read = { kind: "space", role: "read" } as const;
const write = { kind: "space", role: "write" } as const;
const admin = { kind: "space", role: "admin" } as const;
const rootAdmin = { kind: "space", role: "admin", root: true } as const;
const authenticated = { kind: "authenticated" } as const;

/** Config-element endpoints shared by stacks (write to change) and contexts (admin to change). */
function configEndpoints(base: string, tag: string, change: typeof write | typeof admin) {
  return {
    config: endpoint({ method: "GET", path: `${base}/{id}/config`, tag, summary: `list the ${tag} environment variables and mounted files`, access: read, params: IdParams, response: ConfigElements }),
    putVariable: endpoint({ method: "PUT", path: `${base}/{id}/variables/{name}`, tag, summary: "set an environment variable", access: change, params: VariableParams, body: PutVariable, response: EnvironmentVariable }),
    deleteVariable: endpoint({ method: "DELETE", path: `${base}/{id}/variables/{name}`, tag, summary: "delete an environment variable", access: change, params: VariableParams, response: null, status: 204 }),
    putFile: endpoint({ method: "PUT", path: `${base}/{id}/files`, tag, summary: "set a mounted file", access: change, params: IdParams, body: PutMountedFile, response: MountedFile }),
    deleteFile: endpoint({ method: "DELETE", path: `${base}/{id}/files`, tag, summary: "delete a mounted file", access: change, params: IdParams, query: FileQuery, response: null, status: 204 }),
  };
}

const stackConfig = configEndpoints("/api/v1/stacks", "stacks", write);
const contextConfig = configEndpoints("/api/v1/contexts", "contexts", admin);

/** The endpoints of the foundation: spaces, stacks, contexts, policies, integrations, accounts, audit. */
export const coreEndpoints = {
  login: endpoint({ method: "POST", path: "/api/v1/auth/login", tag: "auth", summary: "log in with a local account and get a session token", access: { kind: "public" }, body: LoginRequest, response: Session }),
  logout: endpoint({ method: "POST", path: "/api/v1/auth/logout", tag: "auth", summary: "end the current session", access: authenticated, response: null, status: 204 }),
  refreshSession: endpoint({ method: "POST", path: "/api/v1/auth/refresh", tag: "auth", summary: "renew the current session, deciding its roles again with the current login policies", access: authenticated, response: Me }),
  me: endpoint({ method: "GET", path: "/api/v1/me", tag: "auth", summary: "who the caller is and the roles it holds", access: authenticated, response: Me }),

  listSpaces: endpoint({ method: "GET", path: "/api/v1/spaces", tag: "spaces", summary: "list the spaces the caller can read", access: authenticated, query: PageQuery, response: page(Space) }),
  getSpace: endpoint({ method: "GET", path: "/api/v1/spaces/{id}", tag: "spaces", summary: "get a space", access: read, params: IdParams, response: Space }),
  createSpace: endpoint({ method: "POST", path: "/api/v1/spaces", tag: "spaces", summary: "create a space under a parent (admin on the parent)", access: admin, body: CreateSpace, response: Space, status: 201 }),
  updateSpace: endpoint({ method: "PATCH", path: "/api/v1/spaces/{id}", tag: "spaces", summary: "update or move a space", access: admin, params: IdParams, body: UpdateSpace, response: Space }),
  deleteSpace: endpoint({ method: "DELETE", path: "/api/v1/spaces/{id}", tag: "spaces", summary: "delete an empty space", access: admin, params: IdParams, response: null, status: 204 }),

  listStacks: endpoint({ method: "GET", path: "/api/v1/stacks", tag: "stacks", summary: "list the stacks the caller can read", access: authenticated, query: StackListQuery, response: page(StackListItem) }),
  getStack: endpoint({ method: "GET", path: "/api/v1/stacks/{id}", tag: "stacks", summary: "get a stack", access: read, params: IdParams, response: Stack }),
  createStack: endpoint({ method: "POST", path: "/api/v1/stacks", tag: "stacks", summary: "create a stack", access: write, body: CreateStack, response: Stack, status: 201 }),
  updateStack: endpoint({ method: "PATCH", path: "/api/v1/stacks/{id}", tag: "stacks", summary: "update a stack", access: write, params: IdParams, body: UpdateStack, response: Stack }),
  deleteStack: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}", tag: "stacks", summary: "delete a stack (refused while protectFromDeletion is set)", access: write, params: IdParams, response: null, status: 204 }),
  explainStack: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/explain", tag: "stacks", summary: "every context, policy and integration that applies to the stack, and why", access: read, params: IdParams, response: StackExplanation }),
  stackConfig: stackConfig.config,
  putStackVariable: stackConfig.putVariable,
  deleteStackVariable: stackConfig.deleteVariable,
  putStackFile: stackConfig.putFile,
  deleteStackFile: stackConfig.deleteFile,
  listStackAttachments: endpoint({ method: "GET", path: "/api/v1/stacks/{id}/attachments", tag: "stacks", summary: "direct attachments of the stack", access: read, params: IdParams, response: z.object({ items: z.array(Attachment) }) }),
  attachContext: endpoint({ method: "PUT", path: "/api/v1/stacks/{id}/contexts/{entityId}", tag: "stacks", summary: "attach a context with a priority (write on the stack, read on the context)", access: write, params: StackEntityParams, body: AttachContextBody, response: Attachment }),
  detachContext: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/contexts/{entityId}", tag: "stacks", summary: "detach a context", access: write, params: StackEntityParams, response: null, status: 204 }),
  attachPolicy: endpoint({ method: "PUT", path: "/api/v1/stacks/{id}/policies/{entityId}", tag: "stacks", summary: "attach a policy (write on the stack, read on the policy)", access: write, params: StackEntityParams, response: Attachment }),
  detachPolicy: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/policies/{entityId}", tag: "stacks", summary: "detach a policy", access: write, params: StackEntityParams, response: null, status: 204 }),
  attachAwsIntegration: endpoint({ method: "PUT", path: "/api/v1/stacks/{id}/aws-integrations/{entityId}", tag: "stacks", summary: "attach an AWS integration for read and/or write runs", access: write, params: StackEntityParams, body: AttachIntegrationBody, response: Attachment }),
  detachAwsIntegration: endpoint({ method: "DELETE", path: "/api/v1/stacks/{id}/aws-integrations/{entityId}", tag: "stacks", summary: "detach an AWS integration", access: write, params: StackEntityParams, response: null, status: 204 }),

  listContexts: endpoint({ method: "GET", path: "/api/v1/contexts", tag: "contexts", summary: "list the contexts the caller can read", access: authenticated, query: PageQuery, response: page(Context) }),
  getContext: endpoint({ method: "GET", path: "/api/v1/contexts/{id}", tag: "contexts", summary: "get a context", access: read, params: IdParams, response: Context }),
  createContext: endpoint({ method: "POST", path: "/api/v1/contexts", tag: "contexts", summary: "create a context", access: admin, body: CreateContext, response: Context, status: 201 }),
  updateContext: endpoint({ method: "PATCH", path: "/api/v1/contexts/{id}", tag: "contexts", summary: "update a context", access: admin, params: IdParams, body: UpdateContext, response: Context }),
  deleteContext: endpoint({ method: "DELETE", path: "/api/v1/contexts/{id}", tag: "contexts", summary: "delete a context and its attachments", access: admin, params: IdParams, response: null, status: 204 }),
  contextConfig: contextConfig.config,
  putContextVariable: contextConfig.putVariable,
  deleteContextVariable: contextConfig.deleteVariable,
  putContextFile: contextConfig.putFile,
  deleteContextFile: contextConfig.deleteFile,

  listPolicies: endpoint({ method: "GET", path: "/api/v1/policies", tag: "policies", summary: "list the policies the caller can read", access: authenticated, query: PolicyListQuery, response: page(Policy) }),
  getPolicy: endpoint({ method: "GET", path: "/api/v1/policies/{id}", tag: "policies", summary: "get a policy", access: read, params: IdParams, response: Policy }),
  createPolicy: endpoint({ method: "POST", path: "/api/v1/policies", tag: "policies", summary: "create a policy", access: admin, body: CreatePolicy, response: Policy, status: 201, bodyLimit: POLICY_REQUEST_MAX_BYTES }),
  updatePolicy: endpoint({ method: "PATCH", path: "/api/v1/policies/{id}", tag: "policies", summary: "update a policy", access: admin, params: IdParams, body: UpdatePolicy, response: Policy, bodyLimit: POLICY_REQUEST_MAX_BYTES }),
  simulatePolicy: endpoint({ method: "POST", path: "/api/v1/policies/{id}/simulate", tag: "policies", summary: "what-if: replay the policy, or a changed body, on the inputs recorded on runs of the stacks it applies to (stacks the caller cannot read are skipped and counted); nothing is saved", access: read, params: IdParams, body: SimulatePolicy, response: PolicySimulation, bodyLimit: POLICY_REQUEST_MAX_BYTES }),
  deletePolicy: endpoint({ method: "DELETE", path: "/api/v1/policies/{id}", tag: "policies", summary: "delete a policy and its attachments", access: admin, params: IdParams, response: null, status: 204 }),

  listAwsIntegrations: endpoint({ method: "GET", path: "/api/v1/aws-integrations", tag: "integrations", summary: "list the AWS integrations the caller can read", access: authenticated, query: PageQuery, response: page(AwsIntegration) }),
  getAwsIntegration: endpoint({ method: "GET", path: "/api/v1/aws-integrations/{id}", tag: "integrations", summary: "get an AWS integration", access: read, params: IdParams, response: AwsIntegration }),
  createAwsIntegration: endpoint({ method: "POST", path: "/api/v1/aws-integrations", tag: "integrations", summary: "create an AWS integration", access: admin, body: CreateAwsIntegration, response: AwsIntegration, status: 201 }),
  updateAwsIntegration: endpoint({ method: "PATCH", path: "/api/v1/aws-integrations/{id}", tag: "integrations", summary: "update an AWS integration", access: admin, params: IdParams, body: UpdateAwsIntegration, response: AwsIntegration }),
  deleteAwsIntegration: endpoint({ method: "DELETE", path: "/api/v1/aws-integrations/{id}", tag: "integrations", summary: "delete an AWS integration and its attachments", access: admin, params: IdParams, response: null, status: 204 }),

  listUsers: endpoint({ method: "GET", path: "/api/v1/users", tag: "users", summary: "list local accounts", access: rootAdmin, query: PageQuery, response: page(User) }),
  getUser: endpoint({ method: "GET", path: "/api/v1/users/{id}", tag: "users", summary: "get a local account", access: rootAdmin, params: IdParams, response: User }),
  createUser: endpoint({ method: "POST", path: "/api/v1/users", tag: "users", summary: "create a local account", access: rootAdmin, body: CreateUser, response: User, status: 201 }),
  updateUser: endpoint({ method: "PATCH", path: "/api/v1/users/{id}", tag: "users", summary: "update, disable or reset the password of an account", access: rootAdmin, params: IdParams, body: UpdateUser, response: User }),
  deleteUser: endpoint({ method: "DELETE", path: "/api/v1/users/{id}", tag: "users", summary: "delete an account with its keys, sessions and role bindings", access: rootAdmin, params: IdParams, response: null, status: 204 }),
  listTeams: endpoint({ method: "GET", path: "/api/v1/teams", tag: "users", summary: "list teams", access: rootAdmin, response: z.object({ items: z.array(Team) }) }),
  createTeam: endpoint({ method: "POST", path: "/api/v1/teams", tag: "users", summary: "create a team", access: rootAdmin, body: CreateTeam, response: Team, status: 201 }),
  deleteTeam: endpoint({ method: "DELETE", path: "/api/v1/teams/{id}", tag: "users", summary: "delete a team and its role bindings", access: rootAdmin, params: IdParams, response: null, status: 204 }),
  addTeamMember: endpoint({ method: "PUT", path: "/api/v1/teams/{id}/members/{userId}", tag: "users", summary: "add a user to a team", access: rootAdmin, params: TeamMemberParams, response: Team }),
  removeTeamMember: endpoint({ method: "DELETE", path: "/api/v1/teams/{id}/members/{userId}", tag: "users", summary: "remove a user from a team", access: rootAdmin, params: TeamMemberParams, response: null, status: 204 }),
  listRoleBindings: endpoint({ method: "GET", path: "/api/v1/role-bindings", tag: "users", summary: "role bindings on the spaces the caller administers", access: authenticated, query: RoleBindingQuery, response: z.object({ items: z.array(RoleBinding) }) }),
  createRoleBinding: endpoint({ method: "POST", path: "/api/v1/role-bindings", tag: "users", summary: "grant a user or team a role on a space and its subtree", access: admin, body: CreateRoleBinding, response: RoleBinding, status: 201 }),
  deleteRoleBinding: endpoint({ method: "DELETE", path: "/api/v1/role-bindings/{id}", tag: "users", summary: "revoke a role binding", access: admin, params: IdParams, response: null, status: 204 }),
  listApiKeys: endpoint({ method: "GET", path: "/api/v1/api-keys", tag: "users", summary: "the caller's API keys (every key for a root admin)", access: authenticated, response: z.object({ items: z.array(ApiKey) }) }),
  createApiKey: endpoint({ method: "POST", path: "/api/v1/api-keys", tag: "users", summary: "create an API key; its secret is shown once", access: authenticated, body: CreateApiKey, response: CreatedApiKey, status: 201 }),
  deleteApiKey: endpoint({ method: "DELETE", path: "/api/v1/api-keys/{id}", tag: "users", summary: "revoke an API key", access: authenticated, params: IdParams, response: null, status: 204 }),

  listAuditEvents: endpoint({ method: "GET", path: "/api/v1/audit-events", tag: "audit", summary: "audit events on the spaces the caller administers, newest first", access: authenticated, query: AuditQuery, response: page(AuditEvent) }),
};

/**
 * Capabilities that are planned but not built yet. They are real routes so that callers (the
 * Terraform provider above all) get a clear `not_supported` answer instead of a 404. None today.
 */
export const plannedEndpoints = {};

/** Every endpoint of the `/api/v1` API, and the OIDC discovery documents beside it. */
export const endpoints = { ...coreEndpoints, ...plannedEndpoints, ...moduleEndpoints, ...providerEndpoints, ...registryTokenEndpoints, ...runEndpoints, ...vcsEndpoints, ...uiEndpoints, ...scheduleEndpoints, ...notificationEndpoints, ...dependencyEndpoints, ...oidcEndpoints };

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
