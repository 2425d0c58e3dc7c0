import { describe, expect, it } from "vitest";
import { Unknown } from "@gantry/tfplugin";
import { planTagsAll, tagsFromCloud } from "./tags.js";

describe("tags and tags_all", () => {
  const defaults = { team: "platform", env: "dev" };

  it("plans tags_all as default_tags overlaid by the resource's tags", () => {
    expect(planTagsAll(defaults, { env: "prod", Name: "x" })).toEqual({ team: "platform", env: "prod", Name: "x" });
    expect(planTagsAll(defaults, null)).toEqual(defaults);
    expect(planTagsAll({}, null)).toEqual({});
  });

  it("leaves tags_all unknown while the tags are", () => {
    expect(planTagsAll(defaults, Unknown)).toBe(Unknown);
    expect(planTagsAll(defaults, { Name: Unknown as unknown as string })).toBe(Unknown);
  });

  it("splits the cloud's tags back into own tags and tags_all on refresh", () => {
    const all = { team: "platform", env: "prod", owner: "mallory" };
    expect(tagsFromCloud(defaults, all, { env: "prod" })).toEqual({ tags: { env: "prod", owner: "mallory" }, tags_all: all });
    expect(tagsFromCloud(defaults, { team: "platform", env: "dev" }, null)).toEqual({ tags: null, tags_all: { team: "platform", env: "dev" } });
    // A configured tag equal to a default stays the resource's own.
    expect(tagsFromCloud(defaults, { team: "platform", env: "dev" }, { team: "platform" })).toEqual({ tags: { team: "platform" }, tags_all: { team: "platform", env: "dev" } });
  });
});
