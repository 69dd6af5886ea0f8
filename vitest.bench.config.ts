import { defineConfig } from 'vitest/config';

/**
 * Benchmarks (`npm run bench`): timing goals are checked here, as medians and ratios against a
 * baseline measured in the same run, never as timed assertions in `npm test`.
 * One file at a time in one worker, so benchmarks do not disturb each other.
 */
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    // The result tables go straight to stdout instead of being buffered per test.
    disableConsoleIntercept: true,
  },
});
