import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { AttachContextBody, Attachment, StackEntityParams } from "./schemas/attachment.js";
import { IdParams, page, PageQuery } from "./schemas/common.js";
import {
  CreateModule, Module, ModuleConsumer, ModuleVersion, ModuleVersionParams, PublishModuleVersion, PublishResult, UpdateModule, UpdateModuleVersion,
} from "./schemas/module.js";

const read = { kind: "space", role: "read" } as const;
const write = { kind: "space", role: "write" } as const;
const authenticated = { kind: "authenticated" } as const;

/** The module registry's management API: modules, their versions and consumers (access like stacks). */
export const moduleEndpoints = {
  listModules: endpoint({ method: "GET", path: "/api/v1/modules", tag: "modules", summary: "list the modules the caller can read", access: authenticated, query: PageQuery, response: page(Module) }),
  getModule: endpoint({ method: "GET", path: "/api/v1/modules/{id}", tag: "modules", summary: "get a module, with the source address to use it by", access: read, params: IdParams, response: Module }),
  createModule: endpoint({ method: "POST", path: "/api/v1/modules", tag: "modules", summary: "register a module and publish the semver tags already on its branch", access: write, body: CreateModule, response: Module, status: 201 }),
  updateModule: endpoint({ method: "PATCH", path: "/api/v1/modules/{id}", tag: "modules", summary: "update a module", access: write, params: IdParams, body: UpdateModule, response: Module }),
  deleteModule: endpoint({ method: "DELETE", path: "/api/v1/modules/{id}", tag: "modules", summary: "delete a module and its versions (refused while protectFromDeletion is set)", access: write, params: IdParams, response: null, status: 204 }),
  listModuleVersions: endpoint({ method: "GET", path: "/api/v1/modules/{id}/versions", tag: "modules", summary: "every version of a module, newest first, with its state and commit", access: read, params: IdParams, response: z.object({ items: z.array(ModuleVersion) }) }),
  publishModuleVersion: endpoint({ method: "POST", path: "/api/v1/modules/{id}/versions", tag: "modules", summary: "publish the version at a git ref (a semver tag, or a ref whose module config names the version)", access: write, params: IdParams, body: PublishModuleVersion, response: PublishResult, status: 201 }),
  getModuleVersion: endpoint({ method: "GET", path: "/api/v1/modules/{id}/versions/{version}", tag: "modules", summary: "one version of a module, with its changelog", access: read, params: ModuleVersionParams, response: ModuleVersion }),
  updateModuleVersion: endpoint({ method: "PATCH", path: "/api/v1/modules/{id}/versions/{version}", tag: "modules", summary: "yank a version (or restore it); published content never changes", access: write, params: ModuleVersionParams, body: UpdateModuleVersion, response: ModuleVersion }),
  listModuleAttachments: endpoint({ method: "GET", path: "/api/v1/modules/{id}/attachments", tag: "modules", summary: "contexts and policies attached to the module directly (auto-attached ones apply by label, as for stacks)", access: read, params: IdParams, response: z.object({ items: z.array(Attachment) }) }),
  attachModuleContext: endpoint({ method: "PUT", path: "/api/v1/modules/{id}/contexts/{entityId}", tag: "modules", summary: "attach a context to the module: its variables and files reach the module's test runs", access: write, params: StackEntityParams, body: AttachContextBody, response: Attachment }),
  detachModuleContext: endpoint({ method: "DELETE", path: "/api/v1/modules/{id}/contexts/{entityId}", tag: "modules", summary: "detach a context from the module", access: write, params: StackEntityParams, response: null, status: 204 }),
  attachModulePolicy: endpoint({ method: "PUT", path: "/api/v1/modules/{id}/policies/{entityId}", tag: "modules", summary: "attach a PLAN, APPROVAL or INITIALIZATION policy (test runs), a TRIGGER policy (a version becoming ACTIVE) or a NOTIFICATION policy to the module; other types are refused", access: write, params: StackEntityParams, response: Attachment }),
  detachModulePolicy: endpoint({ method: "DELETE", path: "/api/v1/modules/{id}/policies/{entityId}", tag: "modules", summary: "detach a policy from the module", access: write, params: StackEntityParams, response: null, status: 204 }),
  listModuleConsumers: endpoint({ method: "GET", path: "/api/v1/modules/{id}/consumers", tag: "modules", summary: "the stacks whose last init resolved this module, with the version each uses", access: read, params: IdParams, response: z.object({ items: z.array(ModuleConsumer) }) }),
};
