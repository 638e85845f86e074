// The first load a user waits for (issue 19): a signed-in page opened with an empty cache,
// in headless Chromium, with the CPU slowed 4× and a "fast 3G"-like network emulated through
// the DevTools protocol (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up), and once without
// either. Prints one JSON line: per page the median of N runs of "interactive" (navigation
// start to <body data-hydrated>, which the app sets when the WASM has taken the page over)
// and the bytes of WASM and JS that crossed the wire.
//
//   node bench/first_load.mjs http://127.0.0.1:3000 rep@demo.local 5 /board /login
import { chromium } from '@playwright/test';

const [base, email, runsArg, ...paths] = process.argv.slice(2);
if (!base || !email || !runsArg || paths.length === 0) {
  console.error('usage: node bench/first_load.mjs BASE_URL EMAIL RUNS PATH...');
  process.exit(2);
}
const runs = Number(runsArg);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// A session cookie for the user, taken once and handed to every fresh context.
const cookieCtx = await browser.newContext();
{
  const p = await cookieCtx.newPage();
  await p.goto(`${base}/login`);
  await p.waitForSelector('body[data-hydrated="true"]', { timeout: 60_000 });
  await p.fill('#email', email);
  await p.fill('#password', 'dealgate');
  await p.click('button[type="submit"]');
  await p.getByTestId('user-chip').waitFor({ timeout: 60_000 });
}
const cookies = await cookieCtx.cookies();
await cookieCtx.close();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

async function once(path, throttled) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (path !== '/login') await ctx.addCookies(cookies);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttled) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
  }
  const urls = new Map();
  const bytes = { wasm: 0, js: 0, html: 0, css: 0 };
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const u = urls.get(e.requestId) ?? '';
    const kind = u.includes('.wasm') ? 'wasm' : u.endsWith('.js') ? 'js' : u.endsWith('.css') ? 'css' : u.includes('/pkg/') ? 'js' : 'html';
    bytes[kind] += e.encodedDataLength;
  });
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
  const ms = await page.evaluate(() => performance.now());
  await ctx.close();
  return { ms, bytes };
}

const out = {};
for (const path of paths) {
  for (const throttled of [false, true]) {
    const times = [];
    let bytes = null;
    for (let i = 0; i < runs; i++) {
      const r = await once(path, throttled);
      times.push(r.ms);
      bytes = r.bytes;
    }
    out[`${path} ${throttled ? 'cpu4x+3g' : 'plain'}`] = {
      interactive_ms: { p50: Math.round(median(times)), max: Math.round(Math.max(...times)), n: runs },
      wasm_kb: Math.round(bytes.wasm / 1024),
      js_kb: Math.round(bytes.js / 1024),
    };
  }
}
await browser.close();
console.log(JSON.stringify(out));
