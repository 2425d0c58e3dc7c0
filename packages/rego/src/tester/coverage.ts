import type { Body, Module, Rule } from "../ast/types.js";

/** A run of covered or not-covered rows, as `opa test --coverage` prints it. */
export interface RowRange { start: { row: number }; end: { row: number } }

export interface FileCoverage { covered: RowRange[]; not_covered: RowRange[]; coverage: number }

/** `opa test --coverage` report shape. */
export interface CoverageReport { files: Record<string, FileCoverage>; coverage: number }

function bodyRows(b: Body, rows: Set<number>): void {
  for (const e of b) {
    rows.add(e.loc.row);
    if (e.kind === "every") bodyRows(e.body, rows);
  }
}

/** Rows that can be covered: rule heads and body expressions. */
function coverableRows(m: Module): Set<number> {
  const rows = new Set<number>();
  const visit = (r: Rule): void => {
    rows.add(r.loc.row);
    bodyRows(r.body, rows);
    r.elses.forEach(visit);
  };
  m.rules.forEach(visit);
  return rows;
}

function ranges(rows: number[]): RowRange[] {
  const sorted = [...rows].sort((a, b) => a - b);
  const out: RowRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.end.row === r - 1) last.end.row = r;
    else out.push({ start: { row: r }, end: { row: r } });
  }
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Builds the coverage report from the rows hit per file (see `onCover`). */
export function buildCoverage(modules: readonly Module[], hits: ReadonlyMap<string, ReadonlySet<number>>): CoverageReport {
  const files: Record<string, FileCoverage> = {};
  let covTotal = 0;
  let allTotal = 0;
  for (const m of modules) {
    const coverable = coverableRows(m);
    const hit = hits.get(m.file) ?? new Set<number>();
    const covered = [...coverable].filter((r) => hit.has(r));
    const notCovered = [...coverable].filter((r) => !hit.has(r));
    covTotal += covered.length;
    allTotal += coverable.size;
    files[m.file] = {
      covered: ranges(covered),
      not_covered: ranges(notCovered),
      coverage: coverable.size === 0 ? 100 : round2((100 * covered.length) / coverable.size),
    };
  }
  return { files, coverage: allTotal === 0 ? 100 : round2((100 * covTotal) / allTotal) };
}
