import picomatch from "picomatch";

/** What decides whether a change touches a stack. */
export interface StackPaths {
  projectRoot: string;
  additionalProjectGlobs: readonly string[];
}

/**
 * A change affects a stack when a changed file is under its project root, or matches one of its
 * additional project globs (doublestar syntax: `modules/**`, `shared/*.tf`). An empty project
 * root is the repository root, so every change affects it.
 */
export function affectsStack(stack: StackPaths, changedFiles: readonly string[]): boolean {
  const root = stack.projectRoot.replace(/^\.?\/+|\/+$/g, "");
  const globs = stack.additionalProjectGlobs.length ? picomatch(stack.additionalProjectGlobs as string[], { dot: true }) : undefined;
  return changedFiles.some((f) => root === "" || f === root || f.startsWith(`${root}/`) || (globs?.(f) ?? false));
}
