import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';

// Two app servers on one PostgreSQL, started by .ci/two_servers.py (`make e2e-two`), which
// passes their addresses in; it owns both processes, so there is no webServer here.
const a = process.env.E2E_URL_A;
const b = process.env.E2E_URL_B;
if (!a || !b) {
  throw new Error('Run through `make e2e-two` (.ci/two_servers.py): E2E_URL_A and E2E_URL_B are set there.');
}

export default defineConfig({
  testDir: './two',
  outputDir: './test-results/two',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: a, locale: 'en-US', screenshot: 'only-on-failure', launchOptions: chromium },
});
