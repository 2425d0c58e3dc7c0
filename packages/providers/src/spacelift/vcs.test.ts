import { describe, expect, it } from "vitest";
import { githubWebBase, isRepositoryLocation, spaceliftRepository } from "./vcs.js";

describe("Spacelift repository names and Gantry repository locations", () => {
  it("tells a location (URL or path) from a bare name", () => {
    for (const r of ["https://github.com/acme/infra", "git@github.com:acme/infra.git", "/srv/git/infra.git", "file:///tmp/x"]) expect(isRepositoryLocation(r), r).toBe(true);
    expect(isRepositoryLocation("infrastructure")).toBe(false);
  });

  it("derives GitHub's web URL from an integration's API base", () => {
    expect(githubWebBase(null)).toBe("https://github.com");
    expect(githubWebBase("https://api.github.com/")).toBe("https://github.com");
    expect(githubWebBase("https://github.example.com/api/v3")).toBe("https://github.example.com");
  });

  it("keeps the configured name while the stored location still ends with it, so plans show no diff", () => {
    expect(spaceliftRepository("https://github.com/acme/infra", "infra")).toBe("infra");
    expect(spaceliftRepository("https://git.example.com/ours/infra.git", "infra")).toBe("infra");
    expect(spaceliftRepository("git@github.com:acme/infra.git", "infra")).toBe("infra");
    // Changed outside Terraform: the location shows, and the plan puts it back.
    expect(spaceliftRepository("https://github.com/acme/other", "infra")).toBe("https://github.com/acme/other");
    expect(spaceliftRepository("/srv/git/infra.git", "/srv/git/infra.git")).toBe("/srv/git/infra.git");
  });
});
