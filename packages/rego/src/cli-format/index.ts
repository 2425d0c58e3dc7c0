export { formatEvalResults, formatEvalError, evalResultValue, evalErrorValue } from "./eval-output.js";
export type { EvalFormat } from "./eval-output.js";
export { loadPolicyFiles } from "./load-files.js";
export type { LoadedFiles } from "./load-files.js";
