/**
 * Bare git mirrors shared by the server and the worker: fetch under a per-mirror lock, resolve
 * refs and commits, export a commit's tree, list the files a push changed, and ls-remote.
 */
export { GitError, type GitErrorCode } from "./errors.js";
export { mirrorPath, updateMirror } from "./mirror.js";
export { commitInfo, exportTree, resolveCommit, resolveRef, type ResolvedCommit } from "./commits.js";
export { changedFiles, changedFilesOfPush, filesOfCommit, isAncestor, mergeBase } from "./changes.js";
export { lsRemoteHeads } from "./ls-remote.js";
