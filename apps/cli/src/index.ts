/** The `gantry` command line, as a library for tests and the bundler. */
export { buildProgram, CLI_VERSION } from "./program.js";
export { CliError, exitCodes, type CliErrorCode } from "./errors.js";
export type { Runtime } from "./runtime.js";
