import { expect, test } from '@playwright/test';

test('REST v1: token, pipelines, deals, gated moves, history and the OpenAPI document', async ({ request }) => {
  const bad = await request.post('/api/v1/auth/token', { data: { email: 'rep4@demo.local', password: 'nope' } });
  expect(bad.status()).toBe(401);
  expect(bad.headers()['content-type']).toContain('application/problem+json');
  const noToken = await request.get('/api/v1/deals');
  expect(noToken.status()).toBe(401);

  const tok = await request.post('/api/v1/auth/token', { data: { email: 'presales2@demo.local', password: 'dealgate' } });
  expect(tok.status()).toBe(200);
  const { token, expires_at } = await tok.json();
  expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
  const auth = { Authorization: `Bearer ${token}` };

  const pipelines = await (await request.get('/api/v1/pipelines', { headers: auth })).json();
  expect(pipelines.map((p: { name: string }) => p.name)).toEqual(['Solution sale', 'ERP process', 'Product sale']);
  const solution = pipelines[0];
  expect(solution.stages.map((s: { win_rate_pct: number }) => s.win_rate_pct)).toEqual([10, 25, 40, 60, 80, 100, 0]);

  // A presales user sees only the deals they are a member of, page by page.
  const first = await (await request.get(`/api/v1/deals?limit=2`, { headers: auth })).json();
  expect(first.deals.length).toBeGreaterThan(0);
  const d = first.deals[0];
  expect(d.weighted_minor).toBe(Math.round((d.amount_minor * d.win_rate_pct) / 100));
  if (first.next_cursor) {
    const next = await (await request.get(`/api/v1/deals?limit=2&cursor=${first.next_cursor}`, { headers: auth })).json();
    expect(next.deals[0].id).not.toBe(d.id);
  }

  // Presales work in the deal room; moving a deal is for its owner, its team and their manager.
  const presalesMove = await request.post(`/api/v1/deals/${d.id}/moves`, { headers: auth, data: { to_stage_id: solution.stages[6].id, version: d.version } });
  expect(presalesMove.status()).toBe(403);
  expect(presalesMove.headers()['content-type']).toContain('application/problem+json');

  // The owner's moves: a stale version is a conflict.
  const repTok = await (await request.post('/api/v1/auth/token', { data: { email: 'rep2@demo.local', password: 'dealgate' } })).json();
  const repAuth = { Authorization: `Bearer ${repTok.token}` };
  const accounts = await (await request.get('/api/v1/accounts?per_page=1', { headers: repAuth })).json();
  const created = await request.post('/api/v1/deals', {
    headers: repAuth,
    data: { name: 'REST e2e', account_id: accounts.accounts[0].id, amount_minor: 90_000_000, expected_close_date: '2027-09-30', pipeline_id: solution.id },
  });
  expect(created.status()).toBe(201);
  const own = await created.json();
  const stale = await request.post(`/api/v1/deals/${own.id}/moves`, { headers: repAuth, data: { to_stage_id: solution.stages[6].id, version: own.version + 7 } });
  expect(stale.status()).toBe(409);
  // Lost without a lost reason is blocked, with what is missing.
  const blocked = await request.post(`/api/v1/deals/${own.id}/moves`, { headers: repAuth, data: { to_stage_id: solution.stages[6].id, version: own.version } });
  expect(blocked.status()).toBe(422);
  expect(['blocked', 'forbidden']).toContain((await blocked.json()).outcome);
  const { history } = await (await request.get(`/api/v1/deals/${own.id}/history`, { headers: repAuth })).json();
  expect(history[0].kind).toMatch(/blocked|forbidden|created|moved/);

  const doc = await (await request.get('/api/v1/openapi.json')).json();
  expect(doc.openapi).toMatch(/^3\./);
  for (const p of ['/api/v1/deals/{id}/moves', '/api/v1/approvals/{id}/decision', '/api/v1/board']) expect(Object.keys(doc.paths)).toContain(p);
});
