import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@shared': fileURLToPath(new URL('./src-shared', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-cli.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // A hang guard, not a speed goal: engine tests on a loaded 2-core machine can take longer than they do idle.
    testTimeout: 60_000,
  },
});
