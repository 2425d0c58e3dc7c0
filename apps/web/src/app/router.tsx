import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from "@tanstack/react-router";
import { LoginPage } from "../features/login/LoginPage.js";
import { OverviewPage } from "../features/overview/OverviewPage.js";
import { RunPage } from "../features/runs/RunPage.js";
import { StackPage } from "../features/stacks/StackPage.js";
import { prefetchStack, stacksSearch } from "../features/stacks/queries.js";
import { StacksPage } from "../features/stacks/StacksPage.js";
import { NotFoundPage } from "./NotFoundPage.js";
import { Shell } from "./Shell.js";

// Pages people open less often load on first use (their own chunks): the first page stays small.
const AuditPage = lazyRouteComponent(() => import("../features/audit/AuditPage.js"), "AuditPage");
const PoliciesPage = lazyRouteComponent(() => import("../features/policies/PoliciesPage.js"), "PoliciesPage");
const PolicyPage = lazyRouteComponent(() => import("../features/policies/PolicyPage.js"), "PolicyPage");
const SpacesPage = lazyRouteComponent(() => import("../features/spaces/SpacesPage.js"), "SpacesPage");
const AdminPage = lazyRouteComponent(() => import("../features/admin/AdminPage.js"), "AdminPage");
const UserPage = lazyRouteComponent(() => import("../features/admin/UserPage.js"), "UserPage");
const RoleBindingsPage = lazyRouteComponent(() => import("../features/admin/RoleBindingsPage.js"), "RoleBindingsPage");
const ApiKeysPage = lazyRouteComponent(() => import("../features/admin/ApiKeysPage.js"), "ApiKeysPage");
const IntegrationsPage = lazyRouteComponent(() => import("../features/integrations/IntegrationsPage.js"), "IntegrationsPage");
const NotificationsPage = lazyRouteComponent(() => import("../features/notifications/NotificationsPage.js"), "NotificationsPage");
const WorkerPoolsPage = lazyRouteComponent(() => import("../features/workers/WorkerPoolsPage.js"), "WorkerPoolsPage");
const WorkerPoolPage = lazyRouteComponent(() => import("../features/workers/WorkerPoolPage.js"), "WorkerPoolPage");
const ContextsPage = lazyRouteComponent(() => import("../features/contexts/ContextsPage.js"), "ContextsPage");
const OrganisationGraphPage = lazyRouteComponent(() => import("../features/dependencies/OrganisationGraphPage.js"), "OrganisationGraphPage");
const ContextPage = lazyRouteComponent(() => import("../features/contexts/ContextsPage.js"), "ContextPage");
const NewStackPage = lazyRouteComponent(() => import("../features/stacks/NewStackPage.js"), "NewStackPage");
const StackSettingsPage = lazyRouteComponent(() => import("../features/stacks/StackSettingsPage.js"), "StackSettingsPage");
const NewContextPage = lazyRouteComponent(() => import("../features/contexts/ContextAdmin.js"), "NewContextPage");
const NewAwsIntegrationPage = lazyRouteComponent(() => import("../features/integrations/AwsIntegrationPages.js"), "NewAwsIntegrationPage");
const AwsIntegrationPage = lazyRouteComponent(() => import("../features/integrations/AwsIntegrationPages.js"), "AwsIntegrationPage");
const NewWebhookPage = lazyRouteComponent(() => import("../features/notifications/WebhookPages.js"), "NewWebhookPage");
const WebhookPage = lazyRouteComponent(() => import("../features/notifications/WebhookPages.js"), "WebhookPage");
const ModulesPage = lazyRouteComponent(() => import("../features/modules/ModulesPage.js"), "ModulesPage");
const ModulePage = lazyRouteComponent(() => import("../features/modules/ModulePage.js"), "ModulePage");
const ModuleVersionPage = lazyRouteComponent(() => import("../features/modules/ModuleVersionPage.js"), "ModuleVersionPage");
const NewModulePage = lazyRouteComponent(() => import("../features/modules/ModuleForm.js"), "NewModulePage");
const NewPolicyPage = lazyRouteComponent(() => import("../features/policies/NewPolicyPage.js"), "NewPolicyPage");
const ProvidersPage = lazyRouteComponent(() => import("../features/providers/ProvidersPage.js"), "ProvidersPage");
const ProviderPage = lazyRouteComponent(() => import("../features/providers/ProviderPage.js"), "ProviderPage");
const ProviderNamespacePage = lazyRouteComponent(() => import("../features/providers/ProviderNamespacePage.js"), "ProviderNamespacePage");
const RegistryTokensPage = lazyRouteComponent(() => import("../features/providers/RegistryTokensPage.js"), "RegistryTokensPage");

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

const root = createRootRoute({ component: Shell, notFoundComponent: NotFoundPage });
const login = createRoute({ getParentRoute: () => root, path: "/login", validateSearch: (s: Record<string, unknown>) => ({ next: text(s.next) }), component: LoginPage });
const overview = createRoute({ getParentRoute: () => root, path: "/", component: OverviewPage });
const stacks = createRoute({
  getParentRoute: () => root,
  path: "/stacks",
  validateSearch: stacksSearch,
  component: StacksPage,
});
const stack = createRoute({ getParentRoute: () => root, path: "/stacks/$stackId", loader: ({ params }) => prefetchStack(params.stackId), component: StackPage });
const run = createRoute({ getParentRoute: () => root, path: "/stacks/$stackId/runs/$runId", component: RunPage });
const spaces = createRoute({ getParentRoute: () => root, path: "/spaces", component: SpacesPage });
const policies = createRoute({ getParentRoute: () => root, path: "/policies", component: PoliciesPage });
const policy = createRoute({ getParentRoute: () => root, path: "/policies/$policyId", component: PolicyPage });
const contexts = createRoute({ getParentRoute: () => root, path: "/contexts", component: ContextsPage });
const context = createRoute({ getParentRoute: () => root, path: "/contexts/$contextId", component: ContextPage });
const workerPools = createRoute({ getParentRoute: () => root, path: "/worker-pools", component: WorkerPoolsPage });
const workerPool = createRoute({ getParentRoute: () => root, path: "/worker-pools/$poolId", component: WorkerPoolPage });
const integrations = createRoute({ getParentRoute: () => root, path: "/integrations", component: IntegrationsPage });
const notifications = createRoute({ getParentRoute: () => root, path: "/notifications", component: NotificationsPage });
const admin = createRoute({ getParentRoute: () => root, path: "/admin", component: AdminPage });
const user = createRoute({ getParentRoute: () => root, path: "/admin/users/$userId", component: UserPage });
const roleBindings = createRoute({ getParentRoute: () => root, path: "/role-bindings", component: RoleBindingsPage });
const apiKeys = createRoute({ getParentRoute: () => root, path: "/api-keys", component: ApiKeysPage });
const dependencies = createRoute({ getParentRoute: () => root, path: "/dependencies", validateSearch: (s: Record<string, unknown>): { spaceId?: string; label?: string } => ({ spaceId: text(s.spaceId), label: text(s.label) }), component: OrganisationGraphPage });
const newStack = createRoute({ getParentRoute: () => root, path: "/new/stack", component: NewStackPage });
const stackSettings = createRoute({ getParentRoute: () => root, path: "/stacks/$stackId/settings", component: StackSettingsPage });
const newContext = createRoute({ getParentRoute: () => root, path: "/new/context", component: NewContextPage });
const newAwsIntegration = createRoute({ getParentRoute: () => root, path: "/new/aws-integration", component: NewAwsIntegrationPage });
const awsIntegration = createRoute({ getParentRoute: () => root, path: "/integrations/aws/$integrationId", component: AwsIntegrationPage });
const newWebhook = createRoute({ getParentRoute: () => root, path: "/new/webhook", component: NewWebhookPage });
const webhook = createRoute({ getParentRoute: () => root, path: "/webhooks/$webhookId", component: WebhookPage });
const modules = createRoute({ getParentRoute: () => root, path: "/modules", component: ModulesPage });
const moduleRoute = createRoute({ getParentRoute: () => root, path: "/modules/$moduleId", component: ModulePage });
const newModule = createRoute({ getParentRoute: () => root, path: "/new/module", component: NewModulePage });
const moduleVersion = createRoute({ getParentRoute: () => root, path: "/modules/$moduleId/versions/$version", component: ModuleVersionPage });
const newPolicy = createRoute({ getParentRoute: () => root, path: "/new/policy", component: NewPolicyPage });
const providers = createRoute({ getParentRoute: () => root, path: "/providers", component: ProvidersPage });
const provider = createRoute({ getParentRoute: () => root, path: "/providers/$namespace/$type", component: ProviderPage });
const providerNamespace = createRoute({ getParentRoute: () => root, path: "/provider-namespaces/$namespaceId", component: ProviderNamespacePage });
const registryTokens = createRoute({ getParentRoute: () => root, path: "/registry-tokens", component: RegistryTokensPage });
const audit = createRoute({ getParentRoute: () => root, path: "/audit", component: AuditPage });

export const routeTree = root.addChildren([login, overview, stacks, stack, run, spaces, policies, policy, audit, contexts, context, workerPools, workerPool, integrations, notifications, admin, user, roleBindings, apiKeys,
  modules, moduleRoute, moduleVersion, newModule, newStack, stackSettings, newContext, newAwsIntegration, awsIntegration,
  newWebhook, webhook, dependencies, providers, provider, providerNamespace, registryTokens, newPolicy]);
export const router = createRouter({ routeTree, defaultPreload: "intent", defaultNotFoundComponent: NotFoundPage });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
