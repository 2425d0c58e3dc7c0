import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";

/**
 * Spacelift's runtime configuration, `.spacelift/config.yml` (its YAML reference): `version`,
 * `stack_defaults` and `stacks.<stack id>` holding per-run settings, and for modules
 * `module_version`, `test_defaults` and `tests`. Read by the worker for every run of a stack and by
 * the module registry for a module's version; this one parser serves both, so the two never
 * disagree on what the file says.
 */
export const RUNTIME_CONFIG_PATH = ".spacelift/config.yml";

/** The hook keys, in Spacelift's spelling, with Gantry's field name for each. */
export const runtimeHookKeys = {
  before_init: "beforeInit", after_init: "afterInit", before_plan: "beforePlan", after_plan: "afterPlan",
  before_apply: "beforeApply", after_apply: "afterApply", before_destroy: "beforeDestroy", after_destroy: "afterDestroy",
  before_perform: "beforePerform", after_perform: "afterPerform", after_run: "afterRun",
} as const;
export type RuntimeHookKey = keyof typeof runtimeHookKeys;

/** One block of run settings (`stack_defaults`, or one entry of `stacks`), as Spacelift spells them. */
export interface RuntimeSettings {
  hooks: Partial<Record<RuntimeHookKey, string[]>>;
  environment?: Record<string, string>;
  projectRoot?: string;
  terraformVersion?: string;
}

/** A key Gantry refuses, with where it is: the run (or the publish) fails with this, naming the file, line and column. */
export interface RuntimeConfigProblem {
  /** Dotted key path, e.g. `stacks.app.runner_image` or `tests[0].name`. */
  key: string;
  line: number | null;
  /** 1-based column of the key (with `line`); null when the line is not known. */
  column?: number | null;
  message: string;
}

/** A path into the file: map keys and list indexes, e.g. `["tests", 0, "name"]`. */
export type RuntimeConfigPath = (string | number)[];

/** How a path is written in messages: `tests[0].name`. */
export const keyOf = (path: RuntimeConfigPath): string => path.reduce<string>((out, k) => (typeof k === "number" ? `${out}[${k}]` : out ? `${out}.${k}` : k), "");

/** Where a key is in the file. */
export interface ConfigPosition { line: number; column: number }

/** Keys Spacelift documents that Gantry cannot honour, and why (said in the error). */
const unsupportedSettings: Record<string, string> = {
  runner_image: "Gantry runs the tools installed on the worker, not a container image per stack: remove runner_image and install what the hooks need on the worker (or in a worker pool built for the stack)",
};

const topLevelKeys = new Set(["version", "stack_defaults", "stacks", "module_version", "test_defaults", "tests"]);
const settingKeys = new Set([...Object.keys(runtimeHookKeys), "environment", "project_root", "terraform_version", ...Object.keys(unsupportedSettings)]);

/** A parsed `.spacelift/config.yml` and how to locate its keys for error messages. */
export class RuntimeConfig {
  private constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
    private readonly data: Record<string, unknown>,
  ) {}

  /**
   * Parses the file's text. YAML anchors and merge keys (`<<: *shared`) work, as Spacelift's
   * documentation encourages. Throws a {@link RuntimeConfigError} for text that is not YAML or
   * not a mapping.
   */
  static parse(text: string, file = RUNTIME_CONFIG_PATH): RuntimeConfig {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const at = e.pos ? lines.linePos(e.pos[0]) : null;
      throw new RuntimeConfigError([{ key: "", line: at?.line ?? null, column: at?.col ?? null, message: `is not valid YAML (${e.message.split("\n")[0]}): fix the file` }], file);
    }
    const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (data === null || data === undefined) return new RuntimeConfig(doc, lines, file, {});
    if (typeof data !== "object" || Array.isArray(data)) throw new RuntimeConfigError([{ key: "", line: 1, column: 1, message: "must be a mapping (version, stack_defaults, stacks, ...)" }], file);
    return new RuntimeConfig(doc, lines, file, data as Record<string, unknown>);
  }

  /** `module_version`, as a string, or null when the file names none. */
  get moduleVersion(): string | null {
    const v = this.data.module_version;
    return v === undefined || v === null ? null : String(v);
  }

  /** Whether the file defines module test cases (`tests`). */
  get hasTests(): boolean {
    const t = this.data.tests;
    return Array.isArray(t) ? t.length > 0 : t !== undefined && t !== null;
  }

  /**
   * The settings that apply to one stack: `stack_defaults` and `stacks.<id>`, each checked.
   * Other stacks' entries are not checked: a mistake there fails their runs, not this one's.
   */
  forStack(stackId: string): { defaults: RuntimeSettings; stack: RuntimeSettings | null } {
    const problems: RuntimeConfigProblem[] = [];
    for (const key of Object.keys(this.data)) {
      if (!topLevelKeys.has(key)) problems.push({ key, ...this.at([key]), message: `is not a runtime configuration key (known: ${[...topLevelKeys].join(", ")})` });
    }
    const stacks = this.data.stacks;
    if (stacks !== undefined && stacks !== null && (typeof stacks !== "object" || Array.isArray(stacks))) {
      problems.push({ key: "stacks", ...this.at(["stacks"]), message: "must be a mapping of stack id to settings" });
    }
    const defaults = this.settings(["stack_defaults"], problems);
    const own = stacks && typeof stacks === "object" && stackId in stacks ? this.settings(["stacks", stackId], problems) : null;
    if (problems.length) throw new RuntimeConfigError(problems, this.file);
    return { defaults, stack: own };
  }

  private settings(path: string[], problems: RuntimeConfigProblem[]): RuntimeSettings {
    let raw: unknown = this.data;
    for (const k of path) raw = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[k] : undefined;
    const out: RuntimeSettings = { hooks: {} };
    if (raw === undefined || raw === null) return out;
    const here = path.join(".");
    if (typeof raw !== "object" || Array.isArray(raw)) {
      problems.push({ key: here, ...this.at(path), message: "must be a mapping of settings" });
      return out;
    }
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const at = [...path, key];
      const problem = (message: string) => problems.push({ key: at.join("."), ...this.at(at), message });
      if (!settingKeys.has(key)) problem(`is not a stack setting of the runtime configuration (known: ${[...settingKeys].filter((k) => !(k in unsupportedSettings)).join(", ")})`);
      else if (key in unsupportedSettings) problem(`is not supported by Gantry: ${unsupportedSettings[key]}`);
      else if (key in runtimeHookKeys) {
        if (!Array.isArray(value) || value.some((c) => typeof c !== "string")) problem("must be a list of commands (strings)");
        else out.hooks[key as RuntimeHookKey] = value as string[];
      } else if (key === "environment") {
        if (!value || typeof value !== "object" || Array.isArray(value)) problem("must be a mapping of variable name to value");
        else {
          const env: Record<string, string> = {};
          for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
            if (v !== null && typeof v === "object") problem(`${name} must be a string, number or boolean`);
            else env[name] = v === null ? "" : String(v);
          }
          out.environment = env;
        }
      } else if (typeof value !== "string" && typeof value !== "number") problem("must be a string");
      else if (key === "project_root") out.projectRoot = String(value);
      else out.terraformVersion = String(value);
    }
    return out;
  }

  /** The value at `path` (after anchors and merge keys are resolved), or undefined. */
  valueAt(path: RuntimeConfigPath): unknown {
    let v: unknown = this.data;
    for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined;
    return v;
  }

  /** `line` and `column` of a problem at `path`, for {@link RuntimeConfigProblem}. */
  at(path: RuntimeConfigPath): { line: number | null; column: number | null } {
    const pos = this.positionOf(path);
    return { line: pos?.line ?? null, column: pos?.column ?? null };
  }

  /**
   * Where the key (or list item) at `path` is written, or its nearest parent that is (a key
   * from a merge `<<` is not written where it applies); null for none.
   */
  positionOf(path: RuntimeConfigPath): ConfigPosition | null {
    let node: unknown = this.doc.contents;
    let best: ConfigPosition | null = null;
    const mark = (range: [number, number, number] | undefined | null) => {
      if (range) {
        const p = this.lines.linePos(range[0]);
        best = { line: p.line, column: p.col };
      }
    };
    for (const key of path) {
      if (typeof key === "number" && isSeq(node)) {
        const item = node.items[key] as { range?: [number, number, number] } | undefined;
        if (!item) break;
        mark(item.range);
        node = item;
        continue;
      }
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      mark((pair.key as { range?: [number, number, number] }).range);
      node = pair.value;
    }
    return best;
  }
}

/** One problem as people read it: `<file>:<line>:<col>: <key> <what is wrong>`. */
export function describeProblem(file: string, p: RuntimeConfigProblem): string {
  return `${file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ""}` : ""}: ${p.key ? `${p.key} ` : ""}${p.message}`;
}

/** The runtime configuration cannot be used as written: every problem, each with file:line and key. */
export class RuntimeConfigError extends Error {
  constructor(
    readonly problems: RuntimeConfigProblem[],
    readonly file: string,
  ) {
    super(problems.map((p) => describeProblem(file, p)).join("; "));
  }
}
