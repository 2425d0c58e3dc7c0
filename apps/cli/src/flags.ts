import { existsSync, readFileSync } from "node:fs";
import { hookNames, type Hooks } from "@gantry/contract";
import { InvalidArgumentError, Option, type Command } from "commander";
import { usageError } from "./errors.js";

/**
 * One request-body field set from the command line. `string`, `int` and `enum` take a value,
 * `boolean` gives `--x` and `--no-x`, `list` is repeatable, `nullable` also accepts `none` to
 * clear the field, `hooks` is the repeatable `--hook phase=command`.
 */
export interface BodyFlag {
  field: string;
  flag: string;
  kind: "string" | "int" | "boolean" | "list" | "nullable" | "enum" | "hooks";
  description: string;
  choices?: readonly string[];
  /** Only when creating (ids, types that cannot change). */
  createOnly?: boolean;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses a non-negative integer option, failing as a usage error. */
export function parseIntArg(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a non-negative whole number");
  return Number(value);
}

function optionsFor(f: BodyFlag): Option[] {
  switch (f.kind) {
    case "boolean":
      return [new Option(`--${f.flag}`, f.description), new Option(`--no-${f.flag}`, `unset --${f.flag}`)];
    case "list":
      return [new Option(`--${f.flag} <value>`, `${f.description} (repeatable)`).argParser(collect)];
    case "hooks":
      return [new Option(`--${f.flag} <phase=command>`, `${f.description} (repeatable; phases: ${hookNames.join(", ")})`).argParser(collect)];
    case "int":
      return [new Option(`--${f.flag} <n>`, f.description).argParser(parseIntArg)];
    case "enum":
      return [new Option(`--${f.flag} <value>`, f.description).choices(f.choices ?? [])];
    case "nullable":
      return [new Option(`--${f.flag} <value>`, `${f.description} ('none' to clear)`)];
    default:
      return [new Option(`--${f.flag} <value>`, f.description)];
  }
}

/** Adds the flags of `fields` to a create (`create: true`) or update command, plus `--from-file`. */
export function addBodyFlags(cmd: Command, fields: readonly BodyFlag[], create: boolean): Command {
  for (const f of fields) if (create || !f.createOnly) for (const o of optionsFor(f)) cmd.addOption(o);
  cmd.option("--from-file <path>", "read the request body from a JSON file ('-' for stdin); flags override its fields");
  return cmd;
}

function hooksFrom(entries: string[]): Partial<Hooks> {
  const hooks: Record<string, string[]> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    const phase = eq > 0 ? entry.slice(0, eq) : "";
    if (!(hookNames as string[]).includes(phase)) throw usageError(`--hook ${JSON.stringify(entry)}: expected phase=command with a phase among ${hookNames.join(", ")}`);
    (hooks[phase] ??= []).push(entry.slice(eq + 1));
  }
  return hooks;
}

/** Reads `--from-file`: a JSON object. */
export function readJsonObject(path: string, stdin: () => string): Record<string, unknown> {
  let text: string;
  if (path === "-") text = stdin();
  else {
    if (!existsSync(path)) throw usageError(`--from-file ${path}: no such file`);
    text = readFileSync(path, "utf8");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw usageError(`--from-file ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw usageError(`--from-file ${path}: expected a JSON object with the fields of the request`);
  return value as Record<string, unknown>;
}

/**
 * Builds a request body: the `--from-file` object, then every flag that was given. Flags that
 * were not given are left out, so an update only changes what the person named.
 */
export function bodyFromFlags<T = Record<string, unknown>>(opts: Record<string, unknown>, fields: readonly BodyFlag[], stdin: () => string = () => readFileSync(0, "utf8")): T {
  const body = typeof opts.fromFile === "string" ? readJsonObject(opts.fromFile, stdin) : {};
  for (const f of fields) {
    const value = opts[new Option(`--${f.flag}`).attributeName()];
    if (value === undefined) continue;
    // A dotted field (`kubernetes.namespace`) sets a member of a nested settings block.
    const path = f.field.split(".");
    let target = body;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    const field = path.at(-1)!;
    if (f.kind === "hooks") target[field] = hooksFrom(value as string[]);
    else if (f.kind === "nullable") target[field] = value === "none" ? null : value;
    else target[field] = value;
  }
  // The server validates the body against the contract's schema and names every bad field.
  return body as T;
}
