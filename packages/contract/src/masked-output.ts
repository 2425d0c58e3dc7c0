/** The value shown in place of a sensitive output (kept free of zod: the browser imports it). */
export const MASKED_OUTPUT = "<sensitive>";
