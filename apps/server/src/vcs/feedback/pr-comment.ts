/** One stack's line in a pull request's summary comment. */
export interface StackSummary {
  stackId: string;
  runId: string;
  runUrl: string;
  sha: string;
  state: string;
  delta: { added: number; changed: number; deleted: number; outputs?: number } | null;
  warnings: string[];
  denials: string[];
  /** Administrative stacks: tests and what-if of the policies the plan changes (see policies/admin-what-if.ts). */
  policyWhatIf?: string[];
}

/** Marks Gantry's comment, so each pull request has exactly one, edited on every push. */
export const COMMENT_MARKER = "<!-- gantry:pull-request-summary -->";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The Markdown of the summary: a table of each affected stack's plan, then policy findings. */
export function renderPullRequestComment(number: number, stacks: StackSummary[]): string {
  const lines = [`### Gantry: ${stacks.length} stack${stacks.length === 1 ? "" : "s"} affected by #${number}`, "", "| stack | commit | run | state | plan |", "|---|---|---|---|---|"];
  for (const s of stacks) {
    const plan = s.delta ? `+${s.delta.added} ~${s.delta.changed} -${s.delta.deleted}${s.delta.outputs ? `, ${s.delta.outputs} output${s.delta.outputs === 1 ? "" : "s"}` : ""}` : "—";
    lines.push(`| \`${cell(s.stackId)}\` | \`${s.sha.slice(0, 8)}\` | [${s.runId}](${s.runUrl}) | ${s.state} | ${plan} |`);
  }
  const findings = stacks.filter((s) => s.warnings.length || s.denials.length);
  if (findings.length) {
    lines.push("", "**Policy findings**");
    for (const s of findings) {
      for (const d of s.denials) lines.push(`- \`${cell(s.stackId)}\` denied: ${cell(d)}`);
      for (const w of s.warnings) lines.push(`- \`${cell(s.stackId)}\` warning: ${cell(w)}`);
    }
  }
  const whatIf = stacks.filter((s) => s.policyWhatIf?.length);
  if (whatIf.length) {
    lines.push("", "**Policy changes: tests and what-if against recorded runs**");
    for (const s of whatIf) for (const l of s.policyWhatIf!) lines.push(`- \`${cell(s.stackId)}\` ${cell(l)}`);
  }
  // GitHub refuses comments over 65536 characters.
  const body = lines.join("\n");
  return body.length > 60_000 ? `${body.slice(0, 60_000)}\n\n… (truncated)` : body;
}
