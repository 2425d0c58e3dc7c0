import type { Job } from "@gantry/contract";
import { providersInMirror, type ProviderInstallationPlan, type ProviderUpstream } from "./provider-installation.js";

/**
 * Decides where a run's providers come from: the patterns the server says its network mirror
 * serves this stack; the shipped providers the mirror does not cover from the worker's own
 * filesystem mirror (a server without HTTPS, or whose providers were not built, still runs
 * stacks offline); everything else from the worker's upstream.
 */
export function installationPlan(job: Job, mirrorDir: string | undefined, upstream: ProviderUpstream): ProviderInstallationPlan {
  const include = job.registry?.providerSources ?? [];
  const registryHosts = new Set(job.registry?.hosts ?? []);
  const onRegistry = include.filter((p) => registryHosts.has(p.split("/")[0]!));
  const mirrored = include.filter((p) => !registryHosts.has(p.split("/")[0]!));
  const covered = (source: string) => include.some((p) => p === source || (p.endsWith("/*") && source.startsWith(p.slice(0, -1))));
  const local = providersInMirror(mirrorDir).filter((s) => !covered(s));
  return {
    ...(job.registry && mirrored.length ? { gantryMirror: { url: `${job.registry.serviceUrl.replace(/\/+$/, "")}/v1/mirror/`, include: mirrored } } : {}),
    ...(onRegistry.length ? { gantryRegistry: { include: onRegistry } } : {}),
    ...(mirrorDir && local.length ? { filesystem: { dir: mirrorDir, include: local } } : {}),
    upstream,
  };
}
