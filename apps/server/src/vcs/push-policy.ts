import type { PolicyEngine } from "../policy-engine/index.js";
import { messages } from "../policy-engine/index.js";
import type { VcsEvent } from "./github/events.js";
import { policyVersion } from "../policies/policy-version.js";

/** The rules of Spacelift's GIT_PUSH policies that Gantry reads. */
export const pushRules = ["track", "propose", "ignore", "ignore_track", "notrigger", "cancel", "lock", "unlock", "prioritize", "message"] as const;
export type PushRule = (typeof pushRules)[number];

/** What the push policies of a stack said, merged over every policy that applies. */
export type PushVerdict = Record<PushRule, string[]>;

export interface PolicyVerdictEntry { id: string; name: string; said: Partial<Record<PushRule, string[]>>; outcome: string; /** The policy version (content hash) that decided. */ version: string }

/** What to do for one stack: a run of some type, or none, and why. */
export interface PushDecision {
  action: "track" | "propose" | "ignore";
  /** No run although the policy tracked or proposed (`notrigger`). */
  noTrigger: boolean;
  reason: string;
}

/**
 * Spacelift's behaviour when no push policy applies: track a push to the stack's branch that
 * affects it, propose for affected other branches and pull requests, ignore everything else.
 */
export function defaultDecision(ev: { kind: VcsEvent["kind"]; branch: string }, stackBranch: string, affected: boolean): PushDecision {
  if (!affected) return { action: "ignore", noTrigger: false, reason: "no changed file is under the project root or matches the additional project globs" };
  if (ev.kind === "push" && ev.branch === stackBranch) return { action: "track", noTrigger: false, reason: `push to the stack's branch ${stackBranch} affects it` };
  return { action: "propose", noTrigger: false, reason: ev.kind === "pull_request" ? "the pull request affects the stack" : `push to branch ${ev.branch} affects the stack` };
}

/** Spacelift's reading of push policy rules: `ignore` wins; `ignore_track` turns a track into a proposal; nothing said is ignore. */
export function policyDecision(v: PushVerdict): PushDecision {
  const noTrigger = v.notrigger.length > 0;
  if (v.ignore.length) return { action: "ignore", noTrigger, reason: `push policy said ignore: ${v.ignore.join("; ")}` };
  if (v.track.length && !v.ignore_track.length) return { action: "track", noTrigger, reason: `push policy said track: ${v.track.join("; ")}` };
  if (v.propose.length || v.track.length) return { action: "propose", noTrigger, reason: v.propose.length ? `push policy said propose: ${v.propose.join("; ")}` : `push policy said track, but ignore_track turned it into a proposal: ${v.ignore_track.join("; ")}` };
  return { action: "ignore", noTrigger, reason: "no push policy rule said track or propose" };
}

/** Evaluates each GIT_PUSH policy with the input and merges what they said, rule by rule. */
export async function evaluatePushPolicies(engine: PolicyEngine | undefined, policies: { id: string; name: string; body: string; regoVersion: "V0" | "V1" }[], input: unknown): Promise<{ verdict: PushVerdict; entries: PolicyVerdictEntry[] }> {
  const verdict = Object.fromEntries(pushRules.map((r) => [r, [] as string[]])) as PushVerdict;
  const entries: PolicyVerdictEntry[] = [];
  for (const p of policies) {
    const said: Partial<Record<PushRule, string[]>> = {};
    let outcome: string;
    if (!engine) {
      // A push policy that cannot be evaluated must not let runs through as if it had passed.
      said.ignore = [`GIT_PUSH policy ${p.id} applies but this server has no policy engine`];
      outcome = "error";
    } else {
      try {
        const value = await engine.evaluate([{ file: `${p.id}.rego`, body: p.body, regoVersion: p.regoVersion }], "data.spacelift", input);
        for (const r of pushRules) {
          const ms = messages(value, r);
          if (ms.length) said[r] = ms;
        }
        outcome = said.ignore ? "ignore" : said.track && !said.ignore_track ? "track" : said.propose || said.track ? "propose" : "ignore";
      } catch (err) {
        said.ignore = [`GIT_PUSH policy ${p.id} failed to evaluate: ${(err as Error).message}`];
        outcome = "error";
      }
    }
    for (const [r, ms] of Object.entries(said) as [PushRule, string[]][]) verdict[r].push(...ms);
    entries.push({ id: p.id, name: p.name, said, outcome, version: policyVersion(p.body, p.regoVersion) });
  }
  return { verdict, entries };
}
