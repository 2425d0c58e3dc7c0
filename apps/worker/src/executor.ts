import { rmSync } from "node:fs";
import { Tracing } from "@gantry/telemetry";
import { join } from "node:path";
import type { Hooks, Job, RunDelta, RunState } from "@gantry/contract";
import { packWorkspace, unpackWorkspace } from "./archive.js";
import { createRunDir } from "./workspace/run-dirs.js";
import type { WorkerApi } from "./client.js";
import { WorkerError } from "./errors.js";
import { exec } from "./exec.js";
import { LogSink } from "./log-sink.js";
import { checkoutCommit } from "./workspace/checkout.js";
import { unpackSource } from "./workspace/source.js";
import { AdministrativeRun, type AdministrativeOptions } from "./admin/administrative-run.js";
import { administrativeOptions } from "./admin/options.js";
import { mountFiles, projectDir, runEnvironment, writeCliConfig } from "./workspace/prepare.js";
import { describeInstallation, providerInstallation, type ProviderUpstream } from "./workspace/provider-installation.js";
import { installationPlan } from "./workspace/installation-plan.js";
import { lockedProviders } from "./workspace/locked-providers.js";
import { runIdentityEnvironment } from "./credentials/run-identity.js";
import { registryCliConfig } from "./workspace/registry-config.js";
import { resolvedModules } from "./workspace/resolved-modules.js";
import { pluginCacheFor } from "./workspace/plugin-cache.js";
import { awsRunCredentials, type AwsCredentialOptions } from "./credentials/aws.js";
import { vendorAdapter } from "./vendors/index.js";
import { withRuntimeConfig } from "./workspace/runtime-config.js";
import type { VersionFallbackRule } from "./tool-versions.js";
import type { VendorRun } from "./vendors/vendor.js";

export interface ExecutorOptions {
  api: WorkerApi;
  /** Where run directories are made (each run gets its own and removes it after). */
  workDir: string;
  /** Where repository mirrors are kept between runs. */
  cacheDir: string;
  toolsDir?: string;
  /** Where pinned binaries missing from toolsDir are downloaded from. */
  releaseMirrorUrl?: string;
  /** Substitutes for pins this worker lacks (see WorkerOptions.terraformVersionFallback). */
  versionFallback?: VersionFallbackRule[];
  noOutputTimeoutMs: number;
  /** How administrative runs get the Gantry provider (mirror, reattach mode); default: see admin/options.ts. */
  admin?: AdministrativeOptions;
  /** How AWS integrations are equipped (the STS endpoint of worker-generated credentials). */
  aws?: AwsCredentialOptions;
  runTimeoutMs: number;
  /** Spans of each step (hooks, terraform commands) in the run's trace; off unless configured. */
  tracing?: Tracing;
  /** The provider plugin cache the worker's runs share (none: each run installs its own). */
  pluginCacheDir?: string;
  /** Where providers Gantry does not host come from (default none: offline). */
  providerUpstream?: ProviderUpstream;
}

const WORKSPACE = "workspace";

/** Why a run was aborted by the worker's own side: a person stopped it, or the worker shut down. */
export class RunAborted extends Error {
  constructor(
    readonly report: boolean,
    message: string,
  ) {
    super(message);
  }
}

type Outcome = { to: "FINISHED" | "FAILED"; note?: string };

/**
 * Executes one job: prepares the workspace, runs the phases through the stack's vendor adapter
 * (vendors/: terraform, kubectl, ansible-playbook), reports
 * each transition and streams the masked log. The terminal report goes last, after the
 * after_run hooks and the final log line, since a terminal run's token (and log) is closed.
 * A stop from the server ends the processes without a report: the server already knows.
 */
export async function executeJob(claimed: Job, opts: ExecutorOptions, stop: AbortSignal): Promise<void> {
  let job = claimed;
  const { api } = opts;
  const secrets = [
    job.runToken,
    ...(job.apiToken ? [job.apiToken] : []),
    ...(job.oidcToken ? [job.oidcToken] : []),
    ...job.variables.filter((v) => v.secret).map((v) => v.value),
    ...job.files.filter((f) => f.secret).map((f) => Buffer.from(f.contentBase64, "base64").toString("utf8")),
  ];
  const timeouts = new AbortController();
  const log = new LogSink(api, job.runId, job.runToken, secrets, () => timeouts.abort(new RunAborted(false, "the run ended on the server (stopped): ending its processes")));
  const signal = AbortSignal.any([stop, timeouts.signal]);
  // The server's deadline for this phase (its run time limit) and the worker's own limit: the
  // earlier one ends the run, and the message says which setting to raise.
  const ownDeadline = Date.now() + opts.runTimeoutMs;
  const serverDeadline = job.deadline ? Date.parse(job.deadline) : Infinity;
  const overtime =
    serverDeadline < ownDeadline
      ? `the run reached the server's run time limit (${job.deadline}) and was ended (an operator raises --run-time-limit-seconds if such runs are legitimate)`
      : `the run took longer than ${Math.round(opts.runTimeoutMs / 1000)} s and was ended`;
  const watch = setInterval(() => {
    if (Date.now() - log.lastOutputAt > opts.noOutputTimeoutMs) {
      timeouts.abort(new WorkerError("timeout", `no output for ${Math.round(opts.noOutputTimeoutMs / 1000)} s: the run was ended (raise the worker's no-output timeout if this step is legitimately quiet)`));
    }
    if (Date.now() > Math.min(ownDeadline, serverDeadline)) timeouts.abort(new WorkerError("timeout", overtime));
  }, 1000);
  const report = (to: RunState, extra: { note?: string; commitSha?: string; commitMessage?: string; commitAuthor?: string; log?: { phase: string; text: string } } = {}) => api.call("reportTransition", { params: { id: job.runId }, body: { to, ...extra } }, job.runToken);
  // Phase reports the next step does not depend on go out in order while the step runs (a round
  // trip per phase saved); `reported` is awaited before any report that depends on them.
  let reported: Promise<unknown> = Promise.resolve();
  const reportSoon = (to: RunState, extra: Parameters<typeof report>[1] = {}) => {
    reported = reported.then(() => report(to, extra));
    reported.catch(() => undefined); // surfaced where it is awaited
  };
  const runDir = createRunDir(opts.workDir, job.runId);
  const workspace = join(runDir, WORKSPACE);
  let env: Record<string, string> | undefined;
  let project = workspace;
  let outcome: Outcome | undefined;
  let admin: AdministrativeRun | undefined;
  /** Set once init succeeded: a module test that fails before it names the test and its config file. */
  let initialized = false;
  /** The late plan JSON upload of a run that went on to apply without it (see reportChanges), with the plan. */
  let planStored: Promise<{ delta: RunDelta } | undefined> = Promise.resolve(undefined);
  const summary = ({ delta }: { delta: RunDelta }) => log.info(`plan: ${delta.added} to add, ${delta.changed} to change, ${delta.deleted} to destroy, ${delta.outputs ?? 0} output${delta.outputs === 1 ? "" : "s"} to change`);

  const tracing = opts.tracing ?? Tracing.off;
  /** A step of the phase as a span of the run's trace. */
  const step = <T>(name: string, fn: () => Promise<T>) => tracing.inRunSpan(job.runId, name, { "gantry.run.phase": job.phase, "gantry.stack.id": job.stackId }, fn);
  const hooks = async (name: keyof Hooks) => {
    for (const cmd of job.hooks[name]) {
      log.write(`$ ${cmd}\n`);
      const { code } = await step(`hook ${name}`, () => exec("sh", ["-c", cmd], { cwd: project, env: env!, log, signal }));
      if (code !== 0) throw new WorkerError("hook", `the ${name} hook ${JSON.stringify(cmd)} exited with code ${code}: fix the hook or the stack's configuration`);
    }
  };

  try {
    let commit = job.commitSha ?? "";
    let commitInfo: { commitMessage?: string; commitAuthor?: string } = {};
    if (job.phase === "plan" && job.source === "upload") {
      log.info("preparing workspace from the uploaded code (local preview)");
      await unpackSource(await api.getArtifact(job.runId, "source", job.runToken), workspace);
      commit = "";
    } else if (job.phase === "plan") {
      log.info(`preparing workspace from ${job.repository} (${job.commitSha ?? `branch ${job.branch}`})`);
      const resolved = await checkoutCommit(opts.cacheDir, job.repository, job.branch, job.commitSha, workspace);
      commit = resolved.sha;
      commitInfo = { commitMessage: resolved.message, commitAuthor: resolved.author };
      log.info(`commit ${commit.slice(0, 12)} by ${resolved.author}: ${resolved.message}`);
    } else {
      log.info("restoring the workspace saved after planning");
      await unpackWorkspace(await api.getArtifact(job.runId, "workspace", job.runToken), runDir);
    }
    job = withRuntimeConfig(job, workspace, (line) => log.info(line));
    project = projectDir(workspace, job, commit);
    if (job.phase === "plan") mountFiles(workspace, job);
    const adminOptions = opts.admin ?? administrativeOptions({});
    admin = AdministrativeRun.forJob(job, adminOptions);
    // Providers Gantry hosts come from its network mirror; shipped ones it does not serve (no
    // HTTPS, not built) from the worker's filesystem mirror; the rest from the upstream, if any.
    const plan = installationPlan(job, adminOptions.mirrorDir, opts.providerUpstream ?? "none");
    const installation = providerInstallation(plan);
    log.info(describeInstallation(plan));
    const registry = job.registry ? registryCliConfig(runDir, job.registry, job.registryToken ?? job.runToken, { SSL_CERT_DIR: process.env.SSL_CERT_DIR }) : undefined;
    const cache = opts.pluginCacheDir ? pluginCacheFor(opts.pluginCacheDir) : undefined;
    env = runEnvironment(job, { cliConfig: writeCliConfig(runDir, (cache?.cliConfig() ?? "") + installation + (registry?.cliConfig ?? "")), workspace, project, commit, serverUrl: api.baseUrl });
    // The stack's own variables win over the registry's trust settings.
    if (registry) env = { ...env, ...Object.fromEntries(Object.entries(registry.env).filter(([k]) => !job.variables.some((v) => v.name === k))) };
    if (job.oidcToken) {
      const identity = runIdentityEnvironment(runDir, job.oidcToken);
      let credentials = identity.env;
      if (job.aws) {
        if (job.aws.note) log.info(job.aws.note);
        const aws = await awsRunCredentials(job.aws, { value: job.oidcToken, file: identity.file }, opts.aws ?? {});
        for (const secret of aws.secrets) log.masker.add(secret);
        log.info(aws.description);
        credentials = { ...credentials, ...aws.env };
      }
      // The stack's own variables win over the injected credentials, as over the API settings.
      env = { ...credentials, ...env };
    }
    if (admin) {
      // The stack's own variables win over the injected API settings.
      env = { ...admin.environment(api.baseUrl), ...env };
      log.info(`administrative run: ${admin.description}`);
      await admin.attach(env, project);
      if (admin.reattachedAddresses.length) log.info(`providers started once for this phase: ${admin.reattachedAddresses.join(", ")}`);
    }
    const vendorRun: VendorRun = { job, workspace, project, runDir, log, signal, env: () => env!, serverUrl: api.baseUrl, step, ...(admin ? { admin } : {}) };
    const vendor = await vendorAdapter(vendorRun, opts);

    const apply = async () => {
      const destroy = job.runType === "DESTROY";
      log.setPhase(destroy ? "destroying" : "applying");
      if (job.runType === "TESTING") {
        await testApplyThenDestroy();
        return;
      }
      await hooks(destroy ? "beforeDestroy" : "beforeApply");
      await vendor.apply(destroy);
      await hooks(destroy ? "afterDestroy" : "afterApply");
      // The server refuses FINISHED until the plan JSON of an early apply is stored.
      const late = await planStored;
      if (late) summary(late);
      // With managed state the server reads the outputs from the state it just received.
      if (job.runType === "TRACKED" && !job.stateBackend) {
        const visible = await vendor.outputs();
        if (visible) await api.call("reportOutputs", { params: { id: job.runId }, body: { outputs: visible } }, job.runToken);
      }
      outcome = { to: "FINISHED" };
    };

    /**
     * A module test applies, then always destroys what it made, also when the apply failed, so a
     * test leaves nothing behind; the run fails if either step did.
     */
    const testApplyThenDestroy = async () => {
      let applyError: unknown = null;
      try {
        await hooks("beforeApply");
        await vendor.apply(false);
        await hooks("afterApply");
      } catch (err) {
        if (signal.aborted) throw err;
        applyError = err;
        log.info(`apply failed (${(err as Error).message}): destroying what it made`);
      }
      await report("DESTROYING");
      log.setPhase("destroying");
      if (!vendor.destroyAll) throw new WorkerError("phase", `the ${job.vendor} vendor cannot destroy a test's resources: module tests need terraform or tofu`);
      await hooks("beforeDestroy");
      await vendor.destroyAll();
      await hooks("afterDestroy");
      if (applyError) throw applyError;
      outcome = { to: "FINISHED" };
    };

    if (job.phase === "apply") {
      await report(job.runType === "DESTROY" ? "DESTROYING" : "APPLYING");
      await apply();
      return;
    }
    reportSoon("INITIALIZING", { ...(commit ? { commitSha: commit } : {}), ...commitInfo });
    log.setPhase("initializing");
    await hooks("beforeInit");
    // The lock file's pins, so Gantry's registry still lists a yanked version this stack is locked to.
    const locked = job.registry ? lockedProviders(project) : [];
    if (locked.length) {
      await reported;
      await api.call("reportLockedProviders", { params: { id: job.runId }, body: { providers: locked } }, job.runToken);
    }
    // Inits take turns on the worker's shared plugin cache; plans and applies run side by side.
    const init = () => vendor.init();
    await (cache ? cache.exclusive(init) : init());
    initialized = true;
    // Which registry modules this stack uses, for the module's consumers (Gantry's registry only).
    if (job.registry) {
      const modules = resolvedModules(project);
      if (modules.length) await reported;
      if (modules.length) await api.call("reportModules", { params: { id: job.runId }, body: { modules } }, job.runToken);
    }
    await hooks("afterInit");
    if (job.runType === "TASK") {
      reportSoon("PERFORMING");
      log.setPhase("performing");
      await hooks("beforePerform");
      log.write(`$ ${job.command}\n`);
      const { code } = await step("task command", () => exec("sh", ["-c", job.command ?? "true"], { cwd: project, env: env!, log, signal }));
      if (code !== 0) throw new WorkerError("phase", `the task command exited with code ${code}`);
      await hooks("afterPerform");
      outcome = { to: "FINISHED" };
      return;
    }
    reportSoon("PLANNING");
    log.setPhase("planning");
    await hooks("beforePlan");
    const planned = await vendor.plan(job.runType === "DESTROY");
    await hooks("afterPlan");
    const shown = planned.document;
    // When the tool has already shown resource changes, the server may let the run apply while the
    // document is still being made (nothing that decides needs it), the document following.
    let decision: { next: RunState; reason: string | null } | undefined;
    if (planned.earlyApply && (job.runType === "TRACKED" || job.runType === "DESTROY")) {
      await reported;
      const tail = await log.take();
      decision = await api.call("reportChanges", { params: { id: job.runId }, body: { ...(tail ? { log: tail } : {}) } }, job.runToken);
      if (decision.next === "PLANNING") decision = undefined;
      else {
        planStored = shown.then(async (plan) => {
          await api.call("reportPlanJson", { params: { id: job.runId }, body: plan }, job.runToken);
          return plan;
        });
        planStored.catch(() => undefined); // surfaced where it is awaited
      }
    }
    if (!decision) {
      const plan = await shown;
      summary(plan);
      // The server may end the run on this report (nothing to change, a denial): the log goes with it.
      await reported;
      const tail = await log.take();
      decision = await api.call("reportPlan", { params: { id: job.runId }, body: { ...plan, ...(tail ? { log: tail } : {}) } }, job.runToken);
    }
    if (decision.next === "APPLYING" || decision.next === "DESTROYING") {
      if (decision.reason) log.info(decision.reason);
      await apply();
    } else if (decision.next === "UNCONFIRMED" || decision.next === "PENDING_REVIEW" || decision.next === "CONFIRMED") {
      if (decision.reason) log.info(decision.reason);
      log.info(`the run is ${decision.next}: saving the plan and workspace so it can be applied later`);
      // The workspace upload releases the run from this worker, so the plan file must be stored first.
      const [archive] = await Promise.all([packWorkspace(runDir, WORKSPACE), api.putArtifact(job.runId, "plan-file", vendor.savedPlan(), job.runToken)]);
      await api.putArtifact(job.runId, "workspace", archive, job.runToken);
    }
  } catch (err) {
    const reason: unknown = signal.aborted ? signal.reason : err;
    if (reason instanceof RunAborted) {
      log.info(reason.message);
      if (reason.report) outcome = { to: "FAILED", note: reason.message };
    } else {
      let message = reason instanceof Error ? reason.message : String(reason);
      const test = job.moduleTest;
      if (test && !initialized && job.phase === "plan") message = `module test ${JSON.stringify(test.name)} (tests in ${test.configFile}, project_root ${JSON.stringify(job.projectRoot)}) cannot init: ${message}`;
      log.info(`error: ${message}`);
      outcome = { to: "FAILED", note: message };
    }
  } finally {
    clearInterval(watch);
    if (env && !stop.aborted) await hooks("afterRun").catch((err: unknown) => log.info(`after_run hook failed: ${(err as Error).message}`));
    await admin?.close();
    await reported.catch(() => undefined);
    // A failed apply still stores its plan JSON, as it would have been before the apply.
    await planStored.catch(() => undefined);
    if (outcome) {
      const tail = await log.take();
      await report(outcome.to, { ...(outcome.note ? { note: outcome.note } : {}), ...(tail ? { log: tail } : {}) }).catch(() => undefined);
    } else await log.close();
    rmSync(runDir, { recursive: true, force: true });
  }
}
