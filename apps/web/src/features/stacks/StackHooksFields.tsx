import { messagesFor, TextField } from "../../app/forms.js";
import { HOOKS, type HookName, type StackSettings } from "./stack-settings.js";

/**
 * The commands run around each phase, one per line. Folded away unless a hook is set (most stacks
 * have none) or the server refused one (its message must be seen).
 */
export function StackHooksFields({ hooks, onChange, error }: { hooks: StackSettings["hooks"]; onChange: (h: HookName, text: string) => void; error: unknown }) {
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
