/**
 * Ends every run with one plain line, `N passed, N failed, N skipped`, that any CI can read.
 * With CI=true a skipped test fails the run: on CI machines every engine is installed, so
 * nothing may be skipped silently.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of modules) for (const test of module.children.allTests()) counts[test.result().state]++;
    // A file that fails to load has no tests to count; count the file.
    const broken = modules.filter((module) => module.state() === 'failed' && [...module.children.allTests()].length === 0).length;
    const failed = counts.failed + broken;
    console.log(`\n${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped`);
    if (process.env['CI'] === 'true' && counts.skipped > 0) {
      console.log(`CI=true: ${counts.skipped} skipped tests count as failures (every engine must be present in CI)`);
      process.exitCode = 1;
    }
  }
}
