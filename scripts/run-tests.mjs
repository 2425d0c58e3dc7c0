#!/usr/bin/env node
// `npm test`: runs vitest (arguments pass through, e.g. `npm test -- apps/server`), then prints
// one plain closing line, "tests: N passed, N failed", that any CI can read, and exits with
// vitest's own status.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "gantry-vitest-"));
const results = join(dir, "results.json");
const run = spawnSync("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${results}`, ...process.argv.slice(2)], { stdio: "inherit" });
let status = run.status ?? 1;
try {
  const r = JSON.parse(readFileSync(results, "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests + r.numTodoTests > 0 ? `, ${r.numPendingTests + r.numTodoTests} skipped` : ""}`);
  if (r.numTotalTests === 0) status = status || 1;
} catch {
  console.log("tests: 0 passed, 1 failed (vitest wrote no results)");
  status = status || 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
