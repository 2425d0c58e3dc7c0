import type { EndpointName, EndpointOutput, Endpoints, plannedEndpoints } from "@gantry/contract";
import type { z } from "zod";
import type { Principal } from "../auth/principal.js";
import { dependencyHandlers } from "../dependencies/handlers.js";
import { runHandlers } from "../runs/handlers.js";
import { vcsHandlers } from "../vcs/handlers.js";
import { scheduleHandlers } from "../schedules/handlers.js";
import { notificationHandlers } from "../notifications/handlers.js";
import type { Services } from "../services.js";

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a handler receives: the authenticated caller and the validated request parts. */
export interface HandlerInput<E> {
  actor: Principal;
  params: E extends { params: infer P } ? Out<P> : undefined;
  query: E extends { query: infer Q } ? Out<Q> : undefined;
  body: E extends { body: infer B } ? Out<B> : undefined;
}

export type Handler<E> = (input: HandlerInput<E>) => Promise<EndpointOutput<E>> | EndpointOutput<E>;
export type Handlers = { [K in Exclude<EndpointName, keyof typeof plannedEndpoints>]: Handler<Endpoints[K]> };

/** Every endpoint mapped to one service call: parsing and auth happen before, status mapping after. */
export function handlers(s: Services): Handlers {
  return {
    login: ({ body }) => s.users.login(body.username, body.password),
    logout: ({ actor }) => s.users.logout(actor),
    me: ({ actor }) => s.users.me(actor),
    getOverview: ({ actor }) => s.overview.get(actor),
    getRunPlan: ({ actor, params }) => s.views.runPlan(actor, params.id),
    stackResources: ({ actor, params }) => s.views.stackResources(actor, params.id),
    checkPolicy: ({ actor, body }) => s.views.checkPolicy(actor, body),
    refreshSession: ({ actor }) => s.users.refreshSession(actor),

    listSpaces: ({ actor, query }) => s.spaces.list(actor, query),
    getSpace: ({ actor, params }) => s.spaces.get(actor, params.id),
    createSpace: ({ actor, body }) => s.spaces.create(actor, body),
    updateSpace: ({ actor, params, body }) => s.spaces.update(actor, params.id, body),
    deleteSpace: ({ actor, params }) => s.spaces.delete(actor, params.id),

    listStacks: ({ actor, query }) => s.stacks.list(actor, query),
    getStack: ({ actor, params }) => s.stacks.get(actor, params.id),
    createStack: ({ actor, body }) => s.stacks.create(actor, body),
    updateStack: ({ actor, params, body }) => s.stacks.update(actor, params.id, body),
    deleteStack: ({ actor, params }) => s.stacks.delete(actor, params.id),
    explainStack: ({ actor, params }) => s.stacks.explain(actor, params.id),
    stackConfig: ({ actor, params }) => s.config.list(actor, "stack", params.id),
    putStackVariable: ({ actor, params, body }) => s.config.putVariable(actor, "stack", params.id, params.name, body),
    deleteStackVariable: ({ actor, params }) => s.config.deleteVariable(actor, "stack", params.id, params.name),
    putStackFile: ({ actor, params, body }) => s.config.putFile(actor, "stack", params.id, body),
    deleteStackFile: ({ actor, params, query }) => s.config.deleteFile(actor, "stack", params.id, query.path),
    listStackAttachments: ({ actor, params }) => s.attachments.list(actor, params.id),
    attachContext: ({ actor, params, body }) => s.attachments.attach(actor, "context", params.id, params.entityId, body),
    detachContext: ({ actor, params }) => s.attachments.detach(actor, "context", params.id, params.entityId),
    attachPolicy: ({ actor, params }) => s.attachments.attach(actor, "policy", params.id, params.entityId, {}),
    detachPolicy: ({ actor, params }) => s.attachments.detach(actor, "policy", params.id, params.entityId),
    attachAwsIntegration: ({ actor, params, body }) => s.attachments.attach(actor, "aws_integration", params.id, params.entityId, body),
    detachAwsIntegration: ({ actor, params }) => s.attachments.detach(actor, "aws_integration", params.id, params.entityId),

    listContexts: ({ actor, query }) => s.contexts.list(actor, query),
    getContext: ({ actor, params }) => s.contexts.get(actor, params.id),
    createContext: ({ actor, body }) => s.contexts.create(actor, body),
    updateContext: ({ actor, params, body }) => s.contexts.update(actor, params.id, body),
    deleteContext: ({ actor, params }) => s.contexts.delete(actor, params.id),
    contextConfig: ({ actor, params }) => s.config.list(actor, "context", params.id),
    putContextVariable: ({ actor, params, body }) => s.config.putVariable(actor, "context", params.id, params.name, body),
    deleteContextVariable: ({ actor, params }) => s.config.deleteVariable(actor, "context", params.id, params.name),
    putContextFile: ({ actor, params, body }) => s.config.putFile(actor, "context", params.id, body),
    deleteContextFile: ({ actor, params, query }) => s.config.deleteFile(actor, "context", params.id, query.path),

    listPolicies: ({ actor, query }) => s.policies.list(actor, query),
    getPolicy: ({ actor, params }) => s.policies.get(actor, params.id),
    createPolicy: ({ actor, body }) => s.policies.create(actor, body),
    updatePolicy: ({ actor, params, body }) => s.policies.update(actor, params.id, body),
    deletePolicy: ({ actor, params }) => s.policies.delete(actor, params.id),
    simulatePolicy: ({ actor, params, body }) => s.policies.simulate(actor, params.id, body),

    listAwsIntegrations: ({ actor, query }) => s.integrations.list(actor, query),
    getAwsIntegration: ({ actor, params }) => s.integrations.get(actor, params.id),
    createAwsIntegration: ({ actor, body }) => s.integrations.create(actor, body),
    updateAwsIntegration: ({ actor, params, body }) => s.integrations.update(actor, params.id, body),
    deleteAwsIntegration: ({ actor, params }) => s.integrations.delete(actor, params.id),

    oidcDiscovery: () => s.oidc.discovery(),
    oidcJwks: () => s.oidc.jwks(),
    listOidcKeys: ({ actor }) => s.oidc.listKeys(actor),
    rotateOidcKeys: ({ actor, body }) => s.oidc.rotate(actor, body),

    listUsers: ({ actor, query }) => s.users.listUsers(actor, query),
    getUser: ({ actor, params }) => s.users.getUser(actor, params.id),
    createUser: ({ actor, body }) => s.users.createUser(actor, body),
    updateUser: ({ actor, params, body }) => s.users.updateUser(actor, params.id, body),
    deleteUser: ({ actor, params }) => s.users.deleteUser(actor, params.id),
    listTeams: ({ actor }) => s.users.listTeams(actor),
    createTeam: ({ actor, body }) => s.users.createTeam(actor, body.name),
    deleteTeam: ({ actor, params }) => s.users.deleteTeam(actor, params.id),
    addTeamMember: ({ actor, params }) => s.users.setTeamMember(actor, params.id, params.userId, true),
    removeTeamMember: async ({ actor, params }) => {
      await s.users.setTeamMember(actor, params.id, params.userId, false);
    },
    listRoleBindings: ({ actor, query }) => s.users.listRoleBindings(actor, query.spaceId),
    createRoleBinding: ({ actor, body }) => s.users.createRoleBinding(actor, body),
    deleteRoleBinding: ({ actor, params }) => s.users.deleteRoleBinding(actor, params.id),
    listApiKeys: ({ actor }) => s.users.listApiKeys(actor),
    createApiKey: ({ actor, body }) => s.users.createApiKey(actor, body),
    deleteApiKey: ({ actor, params }) => s.users.deleteApiKey(actor, params.id),

    listAuditEvents: ({ actor, query }) => s.audit.list(actor, query),

    listModules: ({ actor, query }) => s.modules.list(actor, query),
    getModule: ({ actor, params }) => s.modules.get(actor, params.id),
    createModule: ({ actor, body }) => s.modules.create(actor, body),
    updateModule: ({ actor, params, body }) => s.modules.update(actor, params.id, body),
    deleteModule: ({ actor, params }) => s.modules.delete(actor, params.id),
    listModuleVersions: ({ actor, params }) => s.modules.versions(actor, params.id),
    publishModuleVersion: ({ actor, params, body }) => s.modules.publish(actor, params.id, body.ref),
    getModuleVersion: ({ actor, params }) => s.modules.version(actor, params.id, params.version),
    updateModuleVersion: ({ actor, params, body }) => s.modules.setVersionState(actor, params.id, params.version, body.state),
    listModuleConsumers: ({ actor, params }) => s.modules.consumers(actor, params.id),

    listProviderNamespaces: ({ actor, query }) => s.providers.listNamespaces(actor, query),
    getProviderNamespace: ({ actor, params }) => s.providers.getNamespace(actor, params.id),
    createProviderNamespace: ({ actor, body }) => s.providers.createNamespace(actor, body),
    deleteProviderNamespace: ({ actor, params }) => s.providers.deleteNamespace(actor, params.id),
    addProviderGpgKey: ({ actor, params, body }) => s.providers.addKey(actor, params.id, body.asciiArmor),
    deleteProviderGpgKey: ({ actor, params }) => s.providers.deleteKey(actor, params.id, params.keyId),
    listProviders: ({ actor }) => s.providers.listProviders(actor),
    listProviderVersions: ({ actor, params }) => s.providers.versions(actor, params.id, params.type),
    publishProviderVersion: ({ actor, params, body }) => s.providers.publish(actor, params.id, params.type, body),
    updateProviderVersion: ({ actor, params, body }) => s.providers.setVersionYanked(actor, params.id, params.type, params.version, body.yanked),
    deleteProviderVersion: ({ actor, params }) => s.providers.deleteVersion(actor, params.id, params.type, params.version),
    deleteProvider: ({ actor, params }) => s.providers.deleteProvider(actor, params.id, params.type),
    listRegistryTokens: ({ actor }) => s.registryTokens.list(actor),
    createRegistryToken: ({ actor, body }) => s.registryTokens.create(actor, body),
    deleteRegistryToken: ({ actor, params }) => s.registryTokens.revoke(actor, params.id),
    // A module's attachments live on its host stack (modules/module-stack.ts), checked like a stack's.
    listModuleAttachments: async ({ actor, params }) => s.attachments.list(actor, await s.modules.hostStack(actor, params.id)),
    attachModuleContext: async ({ actor, params, body }) => s.attachments.attach(actor, "context", await s.modules.hostStack(actor, params.id), params.entityId, body),
    detachModuleContext: async ({ actor, params }) => s.attachments.detach(actor, "context", await s.modules.hostStack(actor, params.id), params.entityId),
    attachModulePolicy: async ({ actor, params }) => s.attachments.attach(actor, "policy", await s.modules.hostStack(actor, params.id), params.entityId, {}),
    detachModulePolicy: async ({ actor, params }) => s.attachments.detach(actor, "policy", await s.modules.hostStack(actor, params.id), params.entityId),
    ...runHandlers(s),
    ...vcsHandlers(s),
    ...scheduleHandlers(s),
    ...notificationHandlers(s),
    ...dependencyHandlers(s),
  };
}
