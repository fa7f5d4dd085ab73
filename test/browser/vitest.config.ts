import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: real-browser tests (Debian's chromium driven by playwright-core), kept out of `npm test`. */
export default defineConfig({
  root: path.resolve(__dirname, '../..'),
  test: {
    include: ['test/browser/**/*.spec.ts'],
    pool: 'forks',
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
