/**
 * Which fields of `input.stack` a policy body can read, found conservatively from its text.
 *
 * Listing 10,000 stacks must not mean 10,000 evaluations per policy: most access policies read
 * only the stack's labels or space, so stacks that agree on those fields get the same answer.
 * The scan is deliberately pessimistic: any use of `input` it cannot place (`input.stack` as a
 * whole, `input.stack[x]`, `input[...]`, `import input.stack`, bare `input`) means "everything",
 * and every stack is then evaluated on its own.
 */
export type StackReads = ReadonlySet<string> | "all";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

export function stackFieldsRead(body: string): StackReads {
  const fields = new Set<string>();
  const re = /\binput\b/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const rest = body.slice(m.index + 5);
    // `input.session...` and `input.request...` are the same for every stack of one request.
    if (/^\.(session|request)\b/.test(rest)) continue;
    if (!rest.startsWith(".stack.")) return "all";
    const field = IDENT.exec(rest.slice(7))?.[0];
    if (!field) return "all";
    fields.add(field);
  }
  return fields;
}
