/**
 * Runs OPA's conformance cases: `npm run conformance -w @gantry/rego`.
 * Prints pass/fail/skip per category and in total.
 * Flags: `--verbose` (also list failing cases), `--failing` (only categories with failures),
 * `--dir <category>`, `--record` (write the pass counts to recorded.json and the ids of the
 * passing cases to passing-<set>.txt; the test suite fails if any listed case stops passing).
 */
import { writeFileSync } from "node:fs";
import { CASE_SETS, RECORD_FILE, casesFile, passingFile, runCasesFile, summarize } from "./harness.js";
import type { Recorded } from "./harness.js";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const onlyFailing = args.includes("--failing");
const dirFilter = args.includes("--dir") ? args[args.indexOf("--dir") + 1] : undefined;
const record: Partial<Recorded> = {};
const passing = new Map<string, string[]>();

for (const version of CASE_SETS) {
  const outcomes = runCasesFile(casesFile(version)).filter((o) => !dirFilter || o.dir === dirFilter);
  passing.set(version, outcomes.filter((o) => o.status === "pass").map((o) => o.key).sort());
  const s = summarize(outcomes);
  console.log(`\n== ${version} ==`);
  for (const [dir, d] of [...s.byDir].sort(([a], [b]) => a.localeCompare(b))) {
    if (d.fail > 0 || !onlyFailing) console.log(`${dir.padEnd(32)} pass ${String(d.pass).padStart(4)}  fail ${String(d.fail).padStart(4)}  skip ${String(d.skip).padStart(4)}`);
  }
  if (verbose) for (const o of outcomes) if (o.status === "fail") console.log(`FAIL ${o.key}: ${o.detail}`);
  const run = s.pass + s.fail;
  console.log(`${version} total: pass ${s.pass}/${run} (${((100 * s.pass) / Math.max(run, 1)).toFixed(1)}%), fail ${s.fail}, skipped ${s.skip}, cases ${s.total}`);
  record[version] = { pass: s.pass, run, skipped: s.skip, total: s.total };
}

if (args.includes("--record") && !dirFilter) {
  writeFileSync(RECORD_FILE, JSON.stringify(record, null, 2) + "\n");
  for (const [set, ids] of passing) writeFileSync(passingFile(set), ids.join("\n") + "\n");
  console.log(`\nrecorded pass counts in ${RECORD_FILE}`);
}
