/**
 * The lint guard that keeps zod out of the web UI's bundle: eslint (the repository's own
 * configuration) refuses a run-time import of `@gantry/contract` under apps/web/src, and lets
 * type-only imports and `@gantry/contract/browser` through.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const eslint = new ESLint({ cwd: root });

async function problems(code: string, file = "apps/web/src/features/stacks/Guarded.ts"): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe("web UI lint guard: no run-time import of @gantry/contract", () => {
  it("refuses a value import and says what to use instead", async () => {
    const found = await problems(`import { endpoints } from "@gantry/contract";\nexport const n = Object.keys(endpoints).length;\n`);
    expect(found).toEqual([expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*import type.*@gantry\/contract\/browser/)]);
  });

  it("refuses a re-export of a value too", async () => {
    expect(await problems(`export { Stack } from "@gantry/contract";\n`)).toEqual([expect.stringMatching(/no-restricted-imports/)]);
  });

  it("allows type-only imports and the browser entry", async () => {
    expect(await problems(`import type { Stack } from "@gantry/contract";\nimport { GantryApiError } from "@gantry/contract/browser";\nexport const f = (s: Stack) => new GantryApiError(404, "not_found", s.id);\n`)).toEqual([]);
  });

  it("leaves code outside the web UI alone (the server and CLI use the full contract)", async () => {
    expect(await problems(`import { endpoints } from "@gantry/contract";\nexport const n = Object.keys(endpoints).length;\n`, "apps/cli/src/Guarded.ts")).toEqual([]);
  });
});
