import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';

// The Makefile (`make e2e`) picks a free port and a fresh database for every run and
// passes them in; nothing here is hard-coded to a host or shared between runs.
const port = Number(process.env.E2E_PORT);
const bin = process.env.E2E_SERVER_BIN;
const dbUrl = process.env.E2E_DATABASE_URL;
const siteRoot = process.env.E2E_SITE_ROOT;
if (!port || !bin || !dbUrl || !siteRoot) {
  throw new Error('Run the suite through `make test` or `make e2e`: E2E_PORT, E2E_SERVER_BIN, E2E_DATABASE_URL and E2E_SITE_ROOT are set there.');
}

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'en-US',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  webServer: {
    command: `"${bin}" seed --demo && exec "${bin}"`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: dbUrl,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_OUTPUT_NAME: 'dealgate',
      LEPTOS_ENV: 'PROD',
      DEALGATE_LOG: 'warn',
    },
  },
});
