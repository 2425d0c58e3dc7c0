import type { Core } from "../core.js";
import type { StacksTable } from "../db/schema.js";
import { writeOnlyValues } from "../workers/job.js";

/**
 * Tells whether an output's value holds a write-only value (variable or file, of the stack or of
 * a context that applies to it) the stack's runs receive. Terraform cannot know that a TF_VAR_
 * from a write-only variable is a secret, so such an output is not marked sensitive in the
 * state; Gantry treats it as sensitive wherever it shows or passes outputs on, as the worker's
 * masking already treats it in the log. The value is compared as text and as its JSON-escaped
 * form, so a secret inside a list, map or longer string counts too.
 */
export async function secretValueMatcher(db: Core["db"], box: Core["box"], stack: StacksTable): Promise<(value: unknown) => boolean> {
  const secrets = await writeOnlyValues(db, box, stack);
  if (secrets.length === 0) return () => false;
  return (value) => {
    const text = typeof value === "string" ? value : JSON.stringify(value) ?? "";
    return secrets.some((s) => text.includes(s) || JSON.stringify(text).includes(JSON.stringify(s).slice(1, -1)));
  };
}
