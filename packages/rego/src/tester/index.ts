export { runTests, testExitCode } from "./runner.js";
export type { TestReport, TestResult, TestRunOptions } from "./runner.js";
export { formatTestsPretty, formatTestsJSON, formatDuration, coverageThresholdMessage } from "./format.js";
export { discoverTests } from "./discover.js";
export type { DiscoveredTest } from "./discover.js";
export type { CoverageReport, FileCoverage, RowRange } from "./coverage.js";
