export { exportTree, resolveCommit, updateMirror, type ResolvedCommit } from "@gantry/git";
