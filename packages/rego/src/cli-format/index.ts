export { formatEvalResults, formatExplainedJSON, formatEvalError, evalResultValue, evalErrorValue, EVAL_FORMATS } from "./eval-output.js";
export type { EvalFormat } from "./eval-output.js";
export { loadPolicyFiles } from "./load-files.js";
export type { LoadedFiles } from "./load-files.js";
export { checkPolicies, formatCheckErrors } from "./check.js";
export type { CheckOptions } from "./check.js";
