import { endpoint } from "./endpoint.js";
import { IdParams, page, PageQuery } from "./schemas/common.js";
import { CreateVcsIntegration, UpdateVcsIntegration, VcsEventResult, VcsIntegration, VcsNotify } from "./schemas/vcs.js";

const read = { kind: "space", role: "read" } as const;
const write = { kind: "space", role: "write" } as const;
const admin = { kind: "space", role: "admin" } as const;
const authenticated = { kind: "authenticated" } as const;

/**
 * GitOps endpoints: VCS integrations and the push notification of any git server. (GitHub's
 * webhook, `POST /webhooks/github/{id}`, is outside the table: it is signed, not authenticated.)
 */
export const vcsEndpoints = {
  listVcsIntegrations: endpoint({ method: "GET", path: "/api/v1/vcs-integrations", tag: "vcs", summary: "list the VCS integrations the caller can read", access: authenticated, query: PageQuery, response: page(VcsIntegration) }),
  getVcsIntegration: endpoint({ method: "GET", path: "/api/v1/vcs-integrations/{id}", tag: "vcs", summary: "get a VCS integration (secrets are never returned)", access: read, params: IdParams, response: VcsIntegration }),
  createVcsIntegration: endpoint({ method: "POST", path: "/api/v1/vcs-integrations", tag: "vcs", summary: "create a GitHub or raw git integration", access: admin, body: CreateVcsIntegration, response: VcsIntegration, status: 201 }),
  updateVcsIntegration: endpoint({ method: "PATCH", path: "/api/v1/vcs-integrations/{id}", tag: "vcs", summary: "update a VCS integration or rotate its secrets", access: admin, params: IdParams, body: UpdateVcsIntegration, response: VcsIntegration }),
  deleteVcsIntegration: endpoint({ method: "DELETE", path: "/api/v1/vcs-integrations/{id}", tag: "vcs", summary: "delete a VCS integration no stack uses", access: admin, params: IdParams, response: null, status: 204 }),
  notifyVcs: endpoint({ method: "POST", path: "/api/v1/vcs/notify", tag: "vcs", summary: "tell Gantry a ref of a repository moved (post-receive hooks): needs write on a stack using the repository", access: write, body: VcsNotify, response: VcsEventResult }),
};
