import type { FieldIssue, GantryApiError } from "@gantry/contract";
import { CliError } from "./errors.js";

/** `table` for people (the default), `json` for scripts: the raw API objects. */
export const outputFormats = ["table", "json"] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** Where a command writes; tests and `main` both pass the process streams. */
export interface Printer {
  out(text: string): void;
  err(text: string): void;
}

/** One column of a table, or one line of a `show` listing. */
export interface Column<T> {
  header: string;
  value: (item: T) => string;
}

/** Pretty-printed JSON, one document per command. */
export function printJson(p: Printer, value: unknown): void {
  p.out(JSON.stringify(value, null, 2));
}

/** Columns aligned with two spaces between them, headers in upper case, like kubectl. */
export function renderTable<T>(items: readonly T[], columns: readonly Column<T>[]): string {
  const rows = [columns.map((c) => c.header.toUpperCase()), ...items.map((item) => columns.map((c) => oneLine(c.value(item))))];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd()).join("\n");
}

/** `label: value` lines with the values aligned. */
export function renderDetails<T>(item: T, fields: readonly Column<T>[]): string {
  const width = Math.max(...fields.map((f) => f.header.length)) + 1;
  return fields.map((f) => `${(f.header + ":").padEnd(width)} ${f.value(item)}`.trimEnd()).join("\n");
}

/** Prints a list: a table, a hint when empty, or the JSON array. */
export function printList<T>(p: Printer, format: OutputFormat, items: readonly T[], columns: readonly Column<T>[], empty = "nothing found"): void {
  if (format === "json") return printJson(p, items);
  p.out(items.length === 0 ? empty : renderTable(items, columns));
}

/** Prints one object: aligned details or the JSON object. */
export function printOne<T>(p: Printer, format: OutputFormat, item: T, fields: readonly Column<T>[]): void {
  if (format === "json") return printJson(p, item);
  p.out(renderDetails(item, fields));
}

/** Prints the outcome of a call without an answer body (delete, detach). */
export function printDone(p: Printer, format: OutputFormat, message: string, json: Record<string, unknown>): void {
  if (format === "json") return printJson(p, json);
  p.out(message);
}

/** Cells hold one line, so a multi-line description cannot break the table. */
function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}

/** Comma-separated list, or `-` when empty. */
export function list(values: readonly string[]): string {
  return values.length ? values.join(", ") : "-";
}

/** `yes`/`no` for booleans in tables. */
export function yesNo(b: boolean): string {
  return b ? "yes" : "no";
}

/** Dash for null or empty values. */
export function orDash(s: string | null | undefined): string {
  return s == null || s === "" ? "-" : s;
}

function isFieldIssue(v: unknown): v is FieldIssue {
  return typeof v === "object" && v !== null && Array.isArray((v as FieldIssue).path) && typeof (v as FieldIssue).message === "string";
}

/** `spaceId`, `hooks.beforeInit[0]`: the path of a field as a person writes it. */
export function fieldPath(path: FieldIssue["path"]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "") || "(request)";
}

/**
 * Turns an API error into the CLI's error: the server's message plus one line per field issue
 * (`details.issues`), exit 3 when the server could not be reached and 1 otherwise.
 */
export function fromApiError(err: GantryApiError): CliError {
  if (err.code === "unreachable") return new CliError("unreachable", `${err.message} (is the server running? check GANTRY_URL or your profile)`);
  const issues = (err.details as { issues?: unknown } | undefined)?.issues;
  const lines = Array.isArray(issues) ? issues.filter(isFieldIssue).map((i) => `  ${fieldPath(i.path)}: ${i.message}`) : [];
  // The server's message already lists the issues on one line; with one line per issue below it,
  // the headline is enough.
  const headline = lines.length ? err.message.replace(/^(invalid request \w+): .*$/s, "$1") : err.message;
  return new CliError("api", headline, lines);
}
