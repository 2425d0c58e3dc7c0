import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Job } from "@gantry/contract";
import type { ReattachedProvider } from "@gantry/tfplugin";
import { WorkerError } from "../errors.js";
import { SPACELIFT_PROVIDER_SOURCE } from "../workspace/provider-installation.js";
import { findGantryProvider, findMirroredProvider, GANTRY_PROVIDER_SOURCE, type MirroredProvider } from "./provider-mirror.js";

/** True when the root module's own files require Spacelift's provider (Gantry's alias of it). */
function requiresSpaceliftProvider(project: string): boolean {
  try {
    return readdirSync(project).filter((f) => f.endsWith(".tf")).some((f) => readFileSync(join(project, f), "utf8").includes("spacelift-io/spacelift"));
  } catch {
    return false;
  }
}

/** Whether the server's provider mirror serves Gantry's provider to this run (job.registry's patterns). */
function servedByGantry(job: Job): boolean {
  return (job.registry?.providerSources ?? []).some((p) => p === GANTRY_PROVIDER_SOURCE || (p.endsWith("/*") && GANTRY_PROVIDER_SOURCE.startsWith(p.slice(0, -1))));
}

/** How a worker equips administrative runs. */
export interface AdministrativeOptions {
  /** Filesystem mirror holding the Gantry provider (see provider-mirror.ts for the default). */
  mirrorDir: string | undefined;
  /**
   * Start the Gantry provider once per run phase and hand it to every terraform command with
   * TF_REATTACH_PROVIDERS, instead of terraform starting it for each command. Default on.
   */
  reattach: boolean;
}

/**
 * What an administrative run gets on top of an ordinary one: the Gantry provider installed from
 * the worker's mirror, the API URL and the run's own API token in the environment, and (in
 * reattach mode) one provider process shared by the phase's terraform commands.
 */
export class AdministrativeRun {
  private providers: ReattachedProvider[] = [];

  private constructor(
    private readonly job: Job,
    private readonly mirrorDir: string | undefined,
    /** The worker's own build of Gantry's provider; absent when runs install it from Gantry's mirror only. */
    private readonly installed: MirroredProvider | undefined,
    private readonly reattach: boolean,
    /** Gantry's provider under Spacelift's address, when the mirror has it. */
    private readonly spacelift: MirroredProvider | undefined,
  ) {}

  /** Equipment for a job, or undefined when its stack is not administrative. Throws when the provider cannot be found. */
  static forJob(job: Job, opts: AdministrativeOptions): AdministrativeRun | undefined {
    if (!job.administrative) return undefined;
    if (!job.apiToken) throw new WorkerError("server", "the server sent an administrative run without its API token: upgrade the server to match the worker");
    // A worker without its own build still runs administrative stacks when Gantry's registry
    // serves the provider: terraform installs it from there and starts it per command.
    const installed = servedByGantry(job) ? (opts.mirrorDir ? findMirroredProvider(opts.mirrorDir, GANTRY_PROVIDER_SOURCE) : undefined) : findGantryProvider(opts.mirrorDir);
    const spacelift = opts.mirrorDir ? findMirroredProvider(opts.mirrorDir, SPACELIFT_PROVIDER_SOURCE) : undefined;
    return new AdministrativeRun(job, opts.mirrorDir, installed, opts.reattach, spacelift);
  }

  /** Short description for the run log (never the token). */
  get description(): string {
    if (!this.installed) return "Gantry provider from Gantry's provider registry, started by terraform per command (this worker has no build of its own to start once per phase)";
    return `Gantry provider ${this.installed.version} from ${this.mirrorDir}${this.reattach ? ", started once for this phase (reattach mode)" : ""}`;
  }

  /**
   * Variables the provider reads. They go under the stack's own variables, so a stack may
   * still point the provider elsewhere on purpose.
   */
  environment(serverUrl: string): Record<string, string> {
    // Spacelift's names too, so an unchanged `provider "spacelift" {}` block finds the API and its token.
    return { GANTRY_API_URL: serverUrl, GANTRY_API_TOKEN: this.job.apiToken!, SPACELIFT_API_KEY_ENDPOINT: serverUrl, SPACELIFT_API_TOKEN: this.job.apiToken! };
  }

  /**
   * In reattach mode, starts the provider with the run's environment (what terraform would
   * have given it) and adds TF_REATTACH_PROVIDERS to that environment; Spacelift's address too
   * when the root module requires it (`project`), so a Spacelift repository's administrative
   * stack gets the same one-process-per-phase. No-op otherwise.
   */
  async attach(env: Record<string, string>, project?: string): Promise<void> {
    if (!this.reattach || !this.installed) return;
    const { startReattachedProvider, mergeReattachProviders } = await import("@gantry/tfplugin");
    const wanted: [MirroredProvider, string][] = [[this.installed, GANTRY_PROVIDER_SOURCE]];
    if (this.spacelift && project && requiresSpaceliftProvider(project)) wanted.push([this.spacelift, SPACELIFT_PROVIDER_SOURCE]);
    for (const [p, address] of wanted) {
      try {
        this.providers.push(await startReattachedProvider({ binary: p.binary, providerAddress: address, env }));
      } catch (err) {
        await this.close();
        throw new WorkerError("provider", `starting the provider ${address} in reattach mode failed (${(err as Error).message}): the worker can run it per command instead (GANTRY_PROVIDER_REATTACH=0)`, { cause: err });
      }
    }
    env.TF_REATTACH_PROVIDERS = mergeReattachProviders(this.providers);
  }

  /**
   * The environment for `terraform init`: without TF_REATTACH_PROVIDERS, since init skips
   * installing a reattached provider and leaves it out of the lock file, and then a workspace
   * planned here could not be applied by a worker that runs the provider per command.
   */
  initEnvironment(env: Record<string, string>): Record<string, string> {
    const { TF_REATTACH_PROVIDERS: _reattached, ...rest } = env;
    return rest;
  }

  /** Addresses terraform reaches through TF_REATTACH_PROVIDERS in this phase, for the run log. */
  get reattachedAddresses(): string[] {
    return this.providers.flatMap((p) => Object.keys(p.reattachConfig));
  }

  /** Stops the shared providers, if any were started; safe to call more than once. */
  async close(): Promise<void> {
    const started = this.providers;
    this.providers = [];
    await Promise.all(started.map((p) => p.stop()));
  }
}
