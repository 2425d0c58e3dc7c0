import type { AppliedEntity, AttachmentReason, StackExplanation } from "@gantry/contract";
import type { Command } from "commander";
import { printJson } from "../output.js";
import { session, type Runtime } from "../runtime.js";

function reasonText(r: AttachmentReason, e: AppliedEntity): string {
  // Only contexts are ordered by priority; for the others it carries no meaning.
  if (r.kind === "direct") return e.kind === "context" ? `attached directly, priority ${r.priority}` : "attached directly";
  if (r.stackLabel === null) return `label ${r.label} applies to every stack in reach`;
  return `label ${r.label} matched stack label ${r.stackLabel}`;
}

function reachText(e: AppliedEntity): string {
  if (e.throughSpaces.length <= 1) return "in the stack's own space";
  return `reached through spaces ${e.throughSpaces.join(" -> ")}`;
}

function entityLines(e: AppliedEntity, index: number, ordered: boolean): string[] {
  const head = `${ordered ? `${e.order ?? index + 1}. ` : "- "}${e.id} (${e.name})${e.type ? ` ${e.type}` : ""}, space ${e.spaceId}`;
  const pad = " ".repeat(ordered ? 5 : 4);
  return [`  ${head}`, ...e.reasons.map((r) => `${pad}${reasonText(r, e)}`), `${pad}${reachText(e)}`];
}

function section(title: string, entities: AppliedEntity[], ordered: boolean): string[] {
  if (entities.length === 0) return [`${title}: none`];
  return [`${title}:`, ...entities.flatMap((e, i) => entityLines(e, i, ordered))];
}

/** A readable explanation: every applying entity, why it applies, and through which spaces. */
export function renderExplanation(x: StackExplanation): string {
  return [
    `stack ${x.stackId} in space ${x.spaceId}`,
    "",
    ...section("contexts, highest precedence first", x.contexts, true),
    "",
    ...section("policies", x.policies, false),
    "",
    ...section("integrations", x.integrations, false),
    ...(x.hints?.length ? ["", "near misses:", ...x.hints.map((h) => `  - ${h.message}`)] : []),
  ].join("\n");
}

/** `gantry stack explain <id>`. */
export function explainCommand(rt: Runtime, stack: Command): void {
  stack
    .command("explain <id>")
    .description("list every context, policy and integration that applies to the stack, and why")
    .action(async (id: string, _o, cmd: Command) => {
      const s = session(rt, cmd);
      const x = await s.api.call("explainStack", { params: { id } });
      if (s.format === "json") printJson(s.p, x);
      else s.p.out(renderExplanation(x));
    });
}
