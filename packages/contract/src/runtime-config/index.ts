/**
 * Spacelift's runtime configuration (`.spacelift/config.yml`), shared by the worker (a stack's
 * run settings) and the server's module registry (`module_version`, `tests`). A subpath of the contract,
 * so the web UI, which imports the contract's main entry, does not carry a YAML parser.
 */
export * from "./parse.js";
export * from "./apply.js";
export * from "./module-tests.js";
