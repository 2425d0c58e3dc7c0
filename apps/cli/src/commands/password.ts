import type { Runtime } from "../runtime.js";

/** A password from `GANTRY_PASSWORD` (scripts) or a prompt that does not echo. */
export async function readPassword(rt: Runtime, question = "password: "): Promise<string> {
  return rt.env.GANTRY_PASSWORD ?? (await rt.promptSecret(question));
}
