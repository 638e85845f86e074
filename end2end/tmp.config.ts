import { defineConfig } from '@playwright/test';
import { chromium } from './chromium';
export default defineConfig({ testDir: './tests', timeout: 60_000, workers: 1, use: { baseURL: 'http://127.0.0.1:3999', locale: 'en-US', launchOptions: chromium } });
