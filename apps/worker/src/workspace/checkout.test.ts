import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { mirrorPath } from "@gantry/git";
import { describe, expect, it } from "vitest";
import { makeRepo } from "../../test/fixtures.js";
import { checkoutCommit } from "./checkout.js";

describe("checkoutCommit", () => {
  const cache = mkdtempSync(join(tmpdir(), "gantry-checkout-cache-"));
  const dest = () => mkdtempSync(join(tmpdir(), "gantry-checkout-"));
  const repo = makeRepo({ "main.tf": "# one\n" });
  const first = repo.git("rev-parse", "HEAD");
  /** When the mirror last fetched (a fetch rewrites FETCH_HEAD; a clone writes none). */
  const fetchedAt = () => {
    const f = join(mirrorPath(cache, repo.path), "FETCH_HEAD");
    return existsSync(f) ? statSync(f).mtimeMs : 0;
  };

  it("clones, then fetches only when the mirror lacks the wanted commit", async () => {
    const a = dest();
    expect(await checkoutCommit(cache, repo.path, "main", null, a)).toEqual({ sha: first, author: "Ada", message: "initial" });
    expect(readFileSync(join(a, "main.tf"), "utf8")).toBe("# one\n");

    const second = repo.commit({ "main.tf": "# two\n" }, "second");
    const b = dest();
    expect(await checkoutCommit(cache, repo.path, "main", null, b)).toMatchObject({ sha: second, message: "second" });
    expect(readFileSync(join(b, "main.tf"), "utf8")).toBe("# two\n");
    const fetched = fetchedAt();
    expect(fetched).toBeGreaterThan(0);

    // Nothing new on the branch, and a pinned commit already mirrored: no fetch either time.
    // (The branch run takes the mirror's guess: same answer as a look-up.)
    expect(await checkoutCommit(cache, repo.path, "main", null, dest())).toEqual({ sha: second, author: "Ada", message: "second" });
    const c = dest();
    expect((await checkoutCommit(cache, repo.path, "main", first.slice(0, 10), c)).sha).toBe(first);
    expect(readFileSync(join(c, "main.tf"), "utf8")).toBe("# one\n");
    expect(fetchedAt()).toBe(fetched);
  });

  it("fetches a pinned commit the mirror has not seen yet", async () => {
    const third = repo.commit({ "main.tf": "# three\n" }, "third");
    expect((await checkoutCommit(cache, repo.path, "main", third, dest())).sha).toBe(third);
  });

  it("leaves nothing of the mirror's stale copy of the branch when the remote has moved", async () => {
    const moving = makeRepo({ "old.tf": "# old\n", "kept.tf": "# kept v1\n" });
    const old = moving.git("rev-parse", "HEAD");
    await checkoutCommit(cache, moving.path, "main", null, dest());
    moving.git("rm", "--quiet", "old.tf");
    const next = moving.commit({ "new.tf": "# new\n", "kept.tf": "# kept v2\n" }, "next");
    // The remote is ahead of the mirror: the mirror's guess is exported, then replaced after a fetch.
    const a = dest();
    expect((await checkoutCommit(cache, moving.path, "main", null, a)).sha).toBe(next);
    expect(readdirSync(a).sort()).toEqual(["kept.tf", "new.tf"]);
    expect(readFileSync(join(a, "kept.tf"), "utf8")).toBe("# kept v2\n");
    // The remote went back to a commit the mirror has: no fetch, and the tree is switched.
    moving.git("reset", "--quiet", "--hard", old);
    const b = dest();
    expect((await checkoutCommit(cache, moving.path, "main", null, b))).toMatchObject({ sha: old, message: "initial" });
    expect(readdirSync(b).sort()).toEqual(["kept.tf", "old.tf"]);
    expect(readFileSync(join(b, "kept.tf"), "utf8")).toBe("# kept v1\n");
    // Nothing left beside the tree either.
    expect(readdirSync(dirname(b)).filter((f) => f.startsWith(`${basename(b)}.`))).toEqual([]);
  });

  it("says which branch or commit does not exist", async () => {
    await expect(checkoutCommit(cache, repo.path, "nope", null, dest())).rejects.toThrow(`branch "nope" does not exist in repository ${repo.path}`);
    await expect(checkoutCommit(cache, repo.path, "main", "0123456789abcdef0123456789abcdef01234567", dest())).rejects.toThrow("commit 0123456789abcdef0123456789abcdef01234567 does not exist");
    await expect(checkoutCommit(cache, "/does/not/exist", "main", null, dest())).rejects.toThrow(/repository \/does\/not\/exist failed/);
  });
});
