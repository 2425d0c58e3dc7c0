/** The worker pool that runs a stack's runs when the stack names none: the built-in one. */
export const DEFAULT_POOL = "default";
