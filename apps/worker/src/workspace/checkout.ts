import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gitEnv, mirrorPath, updateMirror, type ResolvedCommit } from "@gantry/git";
import { WorkerError } from "../errors.js";

/**
 * One shell for the whole look-up and export (one process started from the worker, whose starts
 * cost a few milliseconds of its event loop each; the shell's own are cheap). The tree is written
 * with `read-tree -u` through an index of the run's own (the mirror is bare and shared), one
 * process where `git archive | tar` took two. Without a commit the remote is asked for the branch
 * head (`ls-remote`: no object transfer) while the mirror's copy of the branch is exported in the
 * background: the remote has usually not moved since the last fetch, and when it has, the second
 * `read-tree` switches the tree to the right commit (it removes what the first one wrote).
 * Exit codes: 10 the remote could not be listed, 11 no such branch, 12 the mirror lacks the
 * commit (its sha on stdout), 13 the export failed; on success stdout is the full sha, the author
 * and the subject, one per line.
 */
const SCRIPT = String.raw`
m=$1 repo=$2 branch=$3 ref=$4 dest=$5 index=$6
export GIT_INDEX_FILE="$index"
info() { git --git-dir "$m" log -1 --format='%H%n%an%n%s' --end-of-options "$1^{commit}" -- 2>/dev/null; }
tree() { git --git-dir "$m" --work-tree "$dest" read-tree --reset -u "$1"; }
if [ -z "$ref" ]; then
  # The guess resolves the branch once (info) and exports that sha, so a fetch by another run in
  # between cannot pair one commit's sha with another's tree.
  ( info "refs/heads/$branch" > "$index.guess" && read -r g < "$index.guess" && tree "$g" 2>/dev/null ) &
  guess=$!
  heads=$(git ls-remote --heads --end-of-options "$repo" "refs/heads/$branch")
  listed=$?
  wait $guess
  guessed=$?
  [ $listed -eq 0 ] || exit 10
  # ls-remote matches a pattern by its tail: keep the exact ref (shell builtins, no more processes).
  for word in $heads; do
    [ "$word" = "refs/heads/$branch" ] && ref=$prev
    prev=$word
  done
  [ -n "$ref" ] || exit 11
  if [ $guessed -eq 0 ] && { IFS= read -r g; IFS= read -r author; IFS= read -r subject; } < "$index.guess" && [ "$g" = "$ref" ]; then
    printf '%s\n' "$g" "$author" "$subject"
    exit 0
  fi
fi
info=$(info "$ref") || { printf '%s\n' "$ref"; exit 12; }
set -- $info # the first word is the sha
sha=$1
tree "$sha" || exit 13
printf '%s\n' "$info"
`;

type Attempt = { ok: true; commit: ResolvedCommit } | { ok: false; code: number; stdout: string; stderr: string };

/** Runs the script; its exit code is data here, not an exception. */
function runScript(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("sh", ["-c", SCRIPT, "sh", ...args], { cwd, env: gitEnv, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && typeof err.code !== "number" ? err.message : "") });
    });
  });
}

async function attempt(mirror: string, repository: string, branch: string, ref: string, dest: string, index: string): Promise<Attempt> {
  const r = await runScript([mirror, repository, branch, ref, dest, index], dest);
  if (r.code !== 0) return { ok: false, ...r };
  const [sha = "", author = "", message = ""] = r.stdout.split("\n");
  return { ok: true, commit: { sha, author, message } };
}

const missing = (repository: string, branch: string, sha: string | null) =>
  new WorkerError("repository", sha ? `commit ${sha} does not exist in repository ${repository}: push it or trigger the run without a commit` : `branch ${JSON.stringify(branch)} does not exist in repository ${repository}: check the stack's branch`);

/**
 * Puts the run's commit into `dest` from the repository's mirror, fetching only when the mirror
 * lacks the commit: a pinned sha is looked up in the mirror first, and a branch run asks the
 * remote for the branch's head and fetches only if that commit is new. Most runs of a busy
 * stack find their commit already mirrored, and a fetch costs far more than a look-up.
 *
 * @returns the resolved commit (full sha, author, subject)
 */
export async function checkoutCommit(cacheDir: string, repository: string, branch: string, sha: string | null, dest: string): Promise<ResolvedCommit> {
  mkdirSync(dest, { recursive: true });
  // Beside the tree, not in it. One index for both attempts, so the second `read-tree -u`
  // removes what a wrong guess of the first one wrote.
  const index = `${dest}.gantry-index`;
  try {
    return await checkout(cacheDir, repository, branch, sha, dest, index);
  } finally {
    for (const f of [index, `${index}.guess`]) rmSync(f, { force: true });
  }
}

/** The look-up and export of {@link checkoutCommit}, with the index it keeps between attempts. */
async function checkout(cacheDir: string, repository: string, branch: string, sha: string | null, dest: string, index: string): Promise<ResolvedCommit> {
  const mirror = mirrorPath(cacheDir, repository);
  let wanted = sha;
  if (existsSync(join(mirror, "HEAD"))) {
    const first = await attempt(mirror, repository, branch, sha ?? "", dest, index);
    if (first.ok) return first.commit;
    if (first.code === 11) throw missing(repository, branch, null);
    if (first.code === 12) wanted = first.stdout.trim() || sha;
    else if (first.code !== 10) throw new WorkerError("workspace", `checking out ${sha ?? `branch ${branch}`} failed: ${first.stderr.trim().split("\n").slice(-3).join(" ")}`);
    // 10: the remote did not answer; the fetch below says why.
  }
  try {
    await updateMirror(cacheDir, repository);
  } catch (err) {
    throw new WorkerError("repository", (err as Error).message, { cause: err });
  }
  const second = await attempt(mirror, repository, branch, wanted ?? `refs/heads/${branch}`, dest, index);
  if (second.ok) return second.commit;
  if (second.code === 12) throw missing(repository, branch, sha);
  throw new WorkerError("workspace", `checking out ${wanted ?? `branch ${branch}`} failed: ${second.stderr.trim().split("\n").slice(-3).join(" ")}`);
}
