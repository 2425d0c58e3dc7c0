import { posix } from "node:path";
import { keyOf, RuntimeConfigError, type RuntimeConfig, type RuntimeConfigPath, type RuntimeConfigProblem } from "./parse.js";

/** One test case of a module, as `tests` in its `.spacelift/config.yml` declares it (Spacelift's keys). */
export interface ModuleTestCase {
  name: string;
  /** The test's root module relative to the repository root (the file gives it relative to the module directory). */
  projectRoot: string;
  environment: Record<string, string>;
  /** A negative test passes when its run fails (Spacelift's `negative: true`). */
  negative: boolean;
}

/** Keys of a test case Gantry acts on; any other key is refused rather than ignored. */
const TEST_KEYS = new Set(["name", "project_root", "environment", "negative"]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An `environment` mapping (of `test_defaults` or a test), each value as a string; a name that
 * is not an environment variable name, or a value that is a list or map, is a problem.
 */
function environmentAt(config: RuntimeConfig, path: RuntimeConfigPath, problems: RuntimeConfigProblem[]): Record<string, string> {
  const raw = config.valueAt(path);
  const problem = (at: RuntimeConfigPath, message: string) => problems.push({ key: keyOf(at), ...config.at(at), message });
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problem(path, "must be a map of variable names to values");
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!ENV_NAME.test(k)) problem([...path, k], "is not an environment variable name");
    else if (v !== null && typeof v === "object") problem([...path, k], "must be a string, number or boolean");
    else out[k] = String(v ?? "");
  }
  return out;
}

/**
 * The module test cases the file declares: `tests`, with `test_defaults.environment` under each
 * test's own, project roots resolved against the module directory (`projectRoot`). Settings
 * Gantry does not act on are refused with the key and where it is written, never ignored; every
 * problem is reported at once in a {@link RuntimeConfigError}.
 *
 * @example
 * // modules/vpc/.spacelift/config.yml
 * // tests:
 * //   - name: basic
 * //     project_root: examples/basic
 * readModuleTests(RuntimeConfig.parse(text, "modules/vpc/.spacelift/config.yml"), "modules/vpc")
 * // -> [{ name: "basic", projectRoot: "modules/vpc/examples/basic", environment: {}, negative: false }]
 */
export function readModuleTests(config: RuntimeConfig, projectRoot: string): ModuleTestCase[] {
  const problems: RuntimeConfigProblem[] = [];
  const problem = (at: RuntimeConfigPath, message: string) => problems.push({ key: keyOf(at), ...config.at(at), message });
  const tests = config.valueAt(["tests"]);
  if (tests === undefined || tests === null) return [];
  if (!Array.isArray(tests)) {
    problem(["tests"], "must be a list of test cases");
    throw new RuntimeConfigError(problems, config.file);
  }
  const defaults = config.valueAt(["test_defaults"]);
  if (defaults !== undefined && defaults !== null && (typeof defaults !== "object" || Array.isArray(defaults))) problem(["test_defaults"], "must be a map (environment)");
  else for (const k of Object.keys(defaults ?? {})) if (k !== "environment") problem(["test_defaults", k], "is not supported yet (only environment is)");
  const shared = environmentAt(config, ["test_defaults", "environment"], problems);
  const names = new Set<string>();
  const out: ModuleTestCase[] = [];
  tests.forEach((raw: unknown, i) => {
    const at = (...k: RuntimeConfigPath) => ["tests", i, ...k];
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      problem(at(), "must be a map with at least a name");
      return;
    }
    const t = raw as Record<string, unknown>;
    for (const k of Object.keys(t)) if (!TEST_KEYS.has(k)) problem(at(k), "is not supported yet (a test takes name, project_root, environment and negative)");
    const name = typeof t.name === "string" && t.name.trim() ? t.name : null;
    if (!name) problem(at("name"), "is required");
    else if (names.has(name)) problem(at("name"), `${JSON.stringify(name)} is used by another test`);
    else names.add(name);
    const rel = t.project_root === undefined || t.project_root === null ? "" : String(t.project_root);
    const joined = posix.normalize(posix.join(projectRoot || ".", rel));
    const escapes = posix.isAbsolute(rel) || joined === ".." || joined.startsWith("../");
    if (escapes) problem(at("project_root"), `${JSON.stringify(rel)} leaves the repository`);
    if (t.negative !== undefined && typeof t.negative !== "boolean") problem(at("negative"), "must be true or false");
    const environment = { ...shared, ...environmentAt(config, at("environment"), problems) };
    if (name && !escapes) out.push({ name, projectRoot: joined === "." ? "" : joined.replace(/\/+$/, ""), environment, negative: t.negative === true });
  });
  if (problems.length) throw new RuntimeConfigError(problems, config.file);
  return out;
}
