import { expect, test } from '@playwright/test';
import { hydrated, newDeal, shots, signIn } from './helpers';

/** Seed 000's concession ladder: a second price concession larger than the first, given for
 * nothing, is flagged on its row and drawn red; a price below the bottom line waits for the
 * general manager. */
for (const [lang, size] of [['en', { width: 1440, height: 900 }], ['zh', { width: 390, height: 844 }]] as const) {
  test(`the ladder warns when a concession grows (${lang})`, async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: size, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    const page = await ctx.newPage();
    await signIn(page, 'rep4@demo.local');
    const name = `Ladder ${lang} ${Date.now()}`;
    const dealId = await newDeal(page, name);
    await page.goto(`/deals/${dealId}?tab=negotiation`);
    await hydrated(page);
    await page.getByTestId('negotiation-start').click();
    await expect(page.getByTestId('negotiation-plan')).toBeVisible();
    await page.getByTestId('n-lowest').fill('2200000');
    await page.getByTestId('n-days').fill('90');
    await page.getByTestId('n-strategy').fill(lang === 'zh' ? '以三年维保换价格' : 'Trade price for a 3-year maintenance term');
    await page.getByTestId('n-save').click();
    await expect(page.getByTestId('n-saved')).toBeVisible();

    const concede = async (amount: string, got: string, after: string) => {
      await page.getByTestId('c-clause').selectOption('price');
      await page.getByTestId('c-kind').selectOption('amount');
      await page.getByTestId('c-value').fill(amount);
      await page.getByTestId('c-got').fill(got);
      await page.getByTestId('c-after').fill(after);
      await page.getByTestId('c-submit').click();
    };
    await concede('50000', lang === 'zh' ? '三年维保' : 'three-year maintenance', '2450000');
    await expect(page.getByTestId('concession')).toHaveCount(1);
    await expect(page.getByTestId('concession').first()).toHaveAttribute('data-warnings', '');
    await concede('80000', '', '2370000');
    await expect(page.getByTestId('concession')).toHaveCount(2);
    const second = page.getByTestId('concession').nth(1);
    await expect(second).toHaveAttribute('data-warnings', 'larger_than_previous,nothing_in_return');
    await expect(second.getByTestId('concession-warning').first())
      .toHaveText(lang === 'zh' ? '大于上一次让步' : 'Larger than the previous concession');
    await expect(page.getByTestId('ladder-bar')).toHaveCount(2);
    await expect(page.getByTestId('ladder-bar').nth(1)).toHaveAttribute('data-larger', 'true');
    await expect(page.getByTestId('ladder-bar').nth(0)).toHaveAttribute('data-larger', 'false');

    // Below the bottom line: the concession waits for the general manager, and the result
    // cannot go for confirmation until he decides.
    await concede('60000', lang === 'zh' ? '提前签约' : 'signing this month', '2150000');
    const third = page.getByTestId('concession').nth(2);
    await expect(third).toHaveAttribute('data-warnings', 'crosses_bottom_line');
    await page.getByTestId('n-result').fill(lang === 'zh' ? '价格 215 万，付款 60 天' : 'Price ¥2.15m, payment in 60 days');
    await page.getByTestId('n-confirm').click();
    await expect(page.getByTestId('confirm-error')).toBeVisible();
    await page.screenshot({ path: shots(`negotiation-${lang}-${size.width}`), fullPage: true });

    const gm = await browser.newContext({ viewport: size, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
    const gmPage = await gm.newPage();
    await signIn(gmPage, 'gm@demo.local');
    await gmPage.goto('/approvals');
    const row = gmPage.getByTestId('approval').filter({ has: gmPage.getByTestId('approval-negotiation') }).filter({ hasText: name }).filter({ hasText: 'price #3' });
    await expect(row).toHaveCount(1);
    await row.getByTestId('approve').click();
    await expect(third.locator('.gm-approved')).toBeVisible({ timeout: 15_000 });
    // The GM's decision reloaded the tab: the result is written again before it is sent.
    await page.getByTestId('n-result').fill(lang === 'zh' ? '价格 215 万，付款 60 天' : 'Price ¥2.15m, payment in 60 days');
    await page.getByTestId('n-confirm').click();
    await expect(page.getByTestId('negotiation-status')).toHaveText(lang === 'zh' ? '确认中' : 'Being confirmed');
    await expect(page.getByTestId('confirm-step').first()).toHaveAttribute('data-state', 'pending');
    await gm.close();
    await ctx.close();
  });
}
