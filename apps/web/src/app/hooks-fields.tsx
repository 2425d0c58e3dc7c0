import type { Hooks } from "@gantry/contract";
import { messagesFor, TextField } from "./forms.js";

/** The hooks of a stack or context, in the order their phases run (the contract's `Hooks`). */
export const HOOKS = [
  ["beforeInit", "Before init"], ["afterInit", "After init"], ["beforePlan", "Before plan"], ["afterPlan", "After plan"],
  ["beforeApply", "Before apply"], ["afterApply", "After apply"], ["beforeDestroy", "Before destroy"], ["afterDestroy", "After destroy"],
  ["beforePerform", "Before perform (tasks)"], ["afterPerform", "After perform (tasks)"], ["afterRun", "After run (always, last)"],
] as const;
export type HookName = (typeof HOOKS)[number][0];

/** Hooks as the form edits them: each phase's commands as text, one per line. */
export type HooksText = Record<HookName, string>;

/** The form's text for `hooks` (none: every phase empty). */
export const hooksText = (hooks?: Partial<Hooks>): HooksText =>
  Object.fromEntries(HOOKS.map(([h]) => [h, (hooks?.[h] ?? []).join("\n")])) as HooksText;

/** The request's hooks for the form's text: one command per non-blank line, trimmed. */
export const hooksBody = (text: HooksText): Hooks =>
  Object.fromEntries(HOOKS.map(([h]) => [h, text[h].split("\n").map((l) => l.trim()).filter((l) => l !== "")])) as Hooks;

/**
 * The commands run around each phase, one per line. Folded away unless a hook is set (most stacks
 * and contexts have none) or the server refused one (its message must be seen).
 */
export function HooksFields({ hooks, onChange, error }: { hooks: HooksText; onChange: (h: HookName, text: string) => void; error: unknown }) {
  const set = HOOKS.filter(([h]) => hooks[h].trim() !== "").length;
  return (
    <details open={set > 0 || messagesFor(error, "hooks").length > 0 || undefined}>
      <summary>Hooks ({set === 0 ? "none" : `${set} phase${set === 1 ? "" : "s"}`})</summary>
      <fieldset>
        <legend>Commands run in the workspace around each phase, one per line, in order</legend>
        {HOOKS.map(([h, label]) => (
          <TextField key={h} name={`hooks.${h}`} label={label} multiline value={hooks[h]} onChange={(text) => onChange(h, text)} error={error} />
        ))}
      </fieldset>
    </details>
  );
}
