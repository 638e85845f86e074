import { expect, test } from '@playwright/test';
import { hydrated, shots, signIn } from './helpers';

test('the executive reads the forecast dashboard and drills into the deals behind a number', async ({ page }) => {
  await signIn(page, 'exec@demo.local');
  await page.goto('/forecast');
  await hydrated(page);
  await expect(page.getByTestId('forecast-kpis')).toBeVisible();
  await expect(page.getByTestId('funnel-chart')).toBeVisible();
  await expect(page.getByTestId('waterfall')).toBeVisible();
  // The waterfall's start and end bars stand on zero: their heights are in proportion to
  // their amounts.
  const totals = page.getByTestId('waterfall').getByTestId('waterfall-total');
  await expect(totals).toHaveCount(2);
  const ends = await totals.evaluateAll((rs) => rs.map((r) => [Number(r.getAttribute('data-fen')), Number(r.getAttribute('height'))]));
  expect(ends[0][0]).toBeGreaterThan(0);
  expect(ends[1][0]).toBeGreaterThan(0);
  expect(ends[0][1] / ends[1][1]).toBeCloseTo(ends[0][0] / ends[1][0], 2);
  // Each figure says what it includes: the KPI is the open forecast without won deals, the
  // waterfall's Start and Now are forecast plus won.
  await expect(page.getByTestId('forecast-kpis')).toContainText('won not included');
  await expect(page.getByTestId('progress-lead')).toContainText('plus the amount won');
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  // The trend has 13 weekly points (two circles each).
  await expect(page.getByTestId('trend-chart').locator('circle')).toHaveCount(26);
  const reps = page.getByTestId('rep-row');
  expect(await reps.count()).toBeGreaterThan(3);
  await page.screenshot({ path: shots('forecast-1440'), fullPage: true });

  // On a phone the charts redraw for the width (scaled down, the wide drawings' text was
  // 3–8 px tall): the waterfall turns on its side, its bars still in proportion from zero.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.locator('svg.waterfall-rows')).toBeVisible();
  for (const id of ['funnel-chart', 'waterfall', 'trend-chart']) {
    const h = await page.getByTestId(id).locator('text').first().evaluate((t) => t.getBoundingClientRect().height);
    expect(h, id).toBeGreaterThanOrEqual(9);
  }
  const sideways = await page.getByTestId('waterfall').getByTestId('waterfall-total')
    .evaluateAll((gs) => gs.map((g) => [Number(g.getAttribute('data-fen')), Number(g.querySelector('rect')?.getAttribute('width'))]));
  expect(sideways[0][1] / sideways[1][1]).toBeCloseTo(sideways[0][0] / sideways[1][0], 2);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: shots('forecast-390'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(page.locator('svg.waterfall-rows')).toHaveCount(0);

  // Sorting the rep table by name puts the rows in order.
  await page.getByTestId('rep-table').getByRole('button', { name: /Rep|销售代表/ }).click();
  const names = await reps.locator('td:first-child').allInnerTexts();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

  // CSV export of the rep table: UTF-8 with a BOM so Excel reads Chinese names.
  const csv = await page.request.get('/export/forecast/reps.csv');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const bytes = await csv.body();
  expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('张磊');

  // A funnel bar is a link to the deals behind it. In the product-sale pipeline: no other spec
  // creates or moves its deals, so its counts cannot change between the bar and the drill
  // (specs running beside this one add deals to the default pipeline's first stage).
  const pipelines = await (await page.request.get('/api/v1/pipelines')).json();
  const product = pipelines.find((p: { name: string }) => p.name === 'Product sale');
  await page.goto(`/forecast?pipeline=${product.id}`);
  await hydrated(page);
  const bars = page.getByTestId('funnel-bar');
  const counts = await bars.locator('text.chart-count').allTextContents();
  const i = counts.findIndex((c) => parseInt(c.trim(), 10) > 0);
  expect(i, `a product-sale stage with deals in ${counts}`).toBeGreaterThanOrEqual(0);
  await bars.nth(i).click();
  await expect(page).toHaveURL(/\/forecast\/deals\?what=stage:/);
  await hydrated(page);
  await expect(page.getByTestId('drill-row')).toHaveCount(parseInt(counts[i].trim(), 10));
  // The subtitle names the stage in words, as the rows do, not the link's code.
  const stageOfRows = (await page.getByTestId('drill-row').first().locator('td:nth-child(4)').innerText()).trim();
  await expect(page.getByTestId('drill-what')).toHaveText(stageOfRows);
  await page.screenshot({ path: shots('forecast-drill-1440') });
});

test('a rep sees only their own numbers; the page is printable', async ({ page }) => {
  await signIn(page, 'rep3@demo.local');
  await page.goto('/forecast');
  await hydrated(page);
  await expect(page.getByTestId('forecast-scope')).toContainText(/your deals|我的商机/);
  await expect(page.getByTestId('rep-row')).toHaveCount(1);
  await expect(page.getByTestId('rep-row')).toContainText('郑雪');
  // Every deal behind the rep's funnel is the rep's.
  const bar = page.getByTestId('funnel-bar').first();
  await bar.click();
  await hydrated(page);
  const owners = await page.getByTestId('drill-row').locator('td:nth-child(3)').allInnerTexts();
  expect(owners.every((o) => o === '郑雪')).toBe(true);
  await page.goto('/forecast');
  await hydrated(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.topbar')).toBeHidden();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ media: 'screen' });
  await page.screenshot({ path: shots('forecast-390'), fullPage: true });
});
