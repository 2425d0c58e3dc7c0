import { describe, expect, it } from "vitest";
import { readModuleTests } from "./module-tests.js";
import { RuntimeConfig, RuntimeConfigError } from "./parse.js";

const FILE = "modules/vpc/.spacelift/config.yml";
const read = (text: string) => readModuleTests(RuntimeConfig.parse(text, FILE), "modules/vpc");
const problemsOf = (text: string): string => {
  try {
    read(text);
  } catch (err) {
    if (err instanceof RuntimeConfigError) return err.message;
    throw err;
  }
  throw new Error("expected the file to be refused");
};

describe("module tests in .spacelift/config.yml (the one parser of the file)", () => {
  it("reads tests with defaults under each test's own environment, project roots from the module directory, anchors and merge keys", () => {
    const tests = read(`version: 1
module_version: 1.2.0
test_defaults:
  environment: &env
    AWS_REGION: eu-west-1
    TF_VAR_n: 3
tests:
  - name: basic
    project_root: examples/basic
    environment:
      TF_VAR_n: 4
  - name: negative
    negative: true
    environment:
      <<: *env
      EXTRA: "yes"
`);
    expect(tests).toEqual([
      { name: "basic", projectRoot: "modules/vpc/examples/basic", environment: { AWS_REGION: "eu-west-1", TF_VAR_n: "4" }, negative: false },
      { name: "negative", projectRoot: "modules/vpc", environment: { AWS_REGION: "eu-west-1", TF_VAR_n: "3", EXTRA: "yes" }, negative: true },
    ]);
    expect(read("module_version: 1.0.0\n")).toEqual([]);
  });

  it("reports every problem at once with file:line:col and the key, as for a stack's settings", () => {
    expect(problemsOf(`tests:
  - name: a
    runner_image: custom:latest
  - project_root: ../../../etc
    negative: "no"
  - name: a
    environment:
      1BAD: x
      LIST: [1]
test_defaults:
  before_init: []
`)).toBe([
      `${FILE}:11:3: test_defaults.before_init is not supported yet (only environment is)`,
      `${FILE}:3:5: tests[0].runner_image is not supported yet (a test takes name, project_root, environment and negative)`,
      `${FILE}:4:5: tests[1].name is required`,
      `${FILE}:4:5: tests[1].project_root "../../../etc" leaves the repository`,
      `${FILE}:5:5: tests[1].negative must be true or false`,
      `${FILE}:6:5: tests[2].name "a" is used by another test`,
      `${FILE}:8:7: tests[2].environment.1BAD is not an environment variable name`,
      `${FILE}:9:7: tests[2].environment.LIST must be a string, number or boolean`,
    ].join("; "));
    expect(problemsOf("tests: basic\n")).toBe(`${FILE}:1:1: tests must be a list of test cases`);
    expect(() => RuntimeConfig.parse("tests: [\n", FILE)).toThrow(/^modules\/vpc\/\.spacelift\/config\.yml:2:1: is not valid YAML/);
  });

  it("locates a stack setting the same way (line and column)", () => {
    const config = RuntimeConfig.parse("stacks:\n  app:\n    runner_image: x\n", ".spacelift/config.yml");
    expect(() => config.forStack("app")).toThrow(".spacelift/config.yml:3:5: stacks.app.runner_image is not supported by Gantry");
  });
});
