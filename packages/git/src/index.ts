/**
 * Bare git mirrors shared by the server and the worker: fetch under a per-mirror lock, resolve
 * refs and read commits, list the files a push changed, and ls-remote. (The worker's checkout,
 * tuned for run start-up, is `apps/worker/src/workspace/checkout.ts`.)
 */
export { GitError, type GitErrorCode } from "./errors.js";
export { mirrorPath, updateMirror } from "./mirror.js";
export { commitInfo, resolveRef, type ResolvedCommit } from "./commits.js";
export { changedFiles, changedFilesOfPush, filesOfCommit, isAncestor, mergeBase } from "./changes.js";
export { lsRemoteHeads, lsRemoteTags } from "./ls-remote.js";
export { gitEnv } from "./run.js";
