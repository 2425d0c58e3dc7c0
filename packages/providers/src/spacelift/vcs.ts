import type { VcsIntegration } from "@gantry/contract";
import { attr, block, isUnknown, TfPluginError, type Diagnostics } from "@gantry/tfplugin";
import { call, type GantryProviderClient } from "../gantry/api.js";

type Values = Record<string, unknown>;
type VcsBlock = { namespace?: string | null; id?: string | null; url?: string | null; project?: string | null };

/**
 * Spacelift's VCS blocks (each "Block List, Max: 1", as in Spacelift's provider). Gantry reads a
 * repository by URL or path; these blocks are how Spacelift names one, so they are accepted and
 * mapped where they can be (see {@link gantryRepository}).
 */
export const vcsBlocks = {
  github_enterprise: block.list({ namespace: attr.string({ required: true }), id: attr.string({ optional: true, description: "id of the Gantry GITHUB VCS integration; default: the only one the token can read" }) }, { maxItems: 1 }),
  gitlab: block.list({ namespace: attr.string({ required: true }), id: attr.string({ optional: true }) }, { maxItems: 1, description: "accepted; Gantry has no GitLab integration (warning)" }),
  bitbucket_cloud: block.list({ namespace: attr.string({ required: true }), id: attr.string({ optional: true }) }, { maxItems: 1, description: "accepted; Gantry has no Bitbucket integration (warning)" }),
  bitbucket_datacenter: block.list({ namespace: attr.string({ required: true }), id: attr.string({ optional: true }) }, { maxItems: 1, description: "accepted; Gantry has no Bitbucket integration (warning)" }),
  azure_devops: block.list({ project: attr.string({ required: true }), id: attr.string({ optional: true }) }, { maxItems: 1, description: "accepted; Gantry has no Azure DevOps integration (warning)" }),
  raw_git: block.list({ namespace: attr.string({ required: true }), url: attr.string({ required: true }) }, { maxItems: 1, description: "the repository is read from url" }),
};

const OTHER_VCS: Record<string, string> = { gitlab: "GitLab", bitbucket_cloud: "Bitbucket Cloud", bitbucket_datacenter: "Bitbucket Datacenter", azure_devops: "Azure DevOps" };

/** A git URL (`https://`, `ssh://`, `git@host:`, `file://`) or a path: what Gantry's `repository` takes. */
export const isRepositoryLocation = (r: string) => r.includes("/") || r.includes(":");

const first = (v: unknown): VcsBlock | undefined => (Array.isArray(v) && v.length > 0 && !isUnknown(v[0]) ? (v[0] as VcsBlock) : undefined);

/**
 * Plan-time warnings for VCS blocks Gantry cannot use in full. Whether a bare repository name
 * can be mapped to a URL needs the API, so that is checked when applying.
 */
export function warnVcsBlocks(config: Values, diagnostics: Diagnostics, typeName: string): void {
  const repo = config.repository;
  const located = typeof repo === "string" && isRepositoryLocation(repo);
  for (const [name, label] of Object.entries(OTHER_VCS)) {
    if (!first(config[name])) continue;
    diagnostics.warning(
      `${typeName}: the ${name} block is ignored by Gantry`,
      `Gantry has no ${label} integration: the repository is read by its URL (git hooks or the poller start runs), and no commit statuses or pull request comments are sent.${located ? "" : " Set repository to the repository's clone URL."}`,
      [name],
    );
  }
  const gh = first(config.github_enterprise);
  if (gh && located) {
    diagnostics.warning(
      `${typeName}: github_enterprise.namespace is ignored by Gantry`,
      `repository is already a URL (${repo}), so the namespace is not needed to find it; GitHub events reach the stack through the URL's owner/name.`,
      ["github_enterprise", 0, "namespace"],
    );
  }
  const raw = first(config.raw_git);
  if (raw && located && typeof raw.url === "string" && raw.url !== repo) {
    diagnostics.warning(`${typeName}: raw_git.url is ignored by Gantry`, `repository is already a URL (${repo}) and is used instead of ${raw.url}.`, ["raw_git", 0, "url"]);
  }
}

/** GitHub's web host for an integration's API base (`https://api.github.com` -> `https://github.com`). */
export function githubWebBase(apiBaseUrl: string | null): string {
  const api = (apiBaseUrl ?? "https://api.github.com").replace(/\/+$/, "");
  if (api === "https://api.github.com") return "https://github.com";
  return api.replace(/\/api\/v3$/, "");
}

async function githubIntegration(client: GantryProviderClient, id: string | null | undefined): Promise<VcsIntegration> {
  if (id) {
    const found = await call(client, "getVcsIntegration", { params: { id } }, { id: "github_enterprise" });
    if (found.provider !== "GITHUB") throw new TfPluginError("resource", `VCS integration ${JSON.stringify(id)} is ${found.provider}, not GITHUB`, { path: ["github_enterprise", 0, "id"] });
    return found;
  }
  const all = (await call(client, "listVcsIntegrations", { query: { limit: 1000 } })).items.filter((i) => i.provider === "GITHUB");
  if (all.length === 1) return all[0]!;
  throw new TfPluginError("resource", all.length === 0 ? "no GitHub VCS integration to map github_enterprise to" : "several GitHub VCS integrations: github_enterprise needs its id", {
    path: ["github_enterprise", 0, all.length === 0 ? "namespace" : "id"],
    detail: all.length === 0
      ? "create one (gantry vcs integration create --provider GITHUB ...), or set repository to the repository's full clone URL"
      : `set github_enterprise.id to one of: ${all.map((i) => i.id).join(", ")}`,
  });
}

/** Where Gantry finds a Spacelift repository, and the GitHub integration its events come through. */
export interface GantryRepository {
  repository: string;
  /** Set when `github_enterprise` mapped the name through a GITHUB integration; else left as it is. */
  vcsIntegrationId?: string;
}

/**
 * The repository location Gantry stores for Spacelift's `repository` (a name without its owner)
 * and VCS block: a URL or path is kept; `raw_git.url` is used as is; `github_enterprise` builds
 * `<GitHub web URL>/<namespace>/<name>` from a GITHUB VCS integration, which then also delivers
 * the stack's webhooks and feedback, as Spacelift's integration does. Anything else cannot be
 * found and is refused with what to write instead.
 */
export async function gantryRepository(values: Values, client: GantryProviderClient): Promise<GantryRepository> {
  const repo = values.repository as string;
  if (isRepositoryLocation(repo)) return { repository: repo };
  const raw = first(values.raw_git);
  if (raw?.url) return { repository: raw.url };
  const gh = first(values.github_enterprise);
  if (gh?.namespace) {
    const integration = await githubIntegration(client, gh.id);
    return { repository: `${githubWebBase(integration.apiBaseUrl)}/${gh.namespace}/${repo}`, vcsIntegrationId: integration.id };
  }
  const other = Object.keys(OTHER_VCS).find((k) => first(values[k]));
  throw new TfPluginError("resource", `repository ${JSON.stringify(repo)} is a name, and Gantry cannot tell where it lives`, {
    path: ["repository"],
    detail: other
      ? `Gantry has no ${OTHER_VCS[other]} integration: set repository to the repository's clone URL`
      : "set repository to the repository's clone URL or path, or add github_enterprise { namespace = \"<owner>\" } to find it through Gantry's GitHub integration",
  });
}

/**
 * Spacelift's `repository` back from the location Gantry stores: the configured name while the
 * location still ends with it (no diff), else the location (a real change shows in the plan).
 */
export function spaceliftRepository(location: string, configured: unknown): string {
  if (typeof configured !== "string" || isRepositoryLocation(configured)) return location;
  const tail = location.replace(/\/+$/, "").replace(/\.git$/, "").split(/[/:]/).at(-1);
  return tail === configured ? configured : location;
}
