// End-to-end check of the usage page (/usage) of the running platform: opens it in headless Chromium,
// enters the key, and checks that the totals and the tables by model and deployment show the figures
// GET /v1/usage reports for the same range. Run by eng/usage-page-check.sh, which sends the traffic first.
//
// Environment:
//   USAGE_API_URL          the Api (default http://localhost:5080)
//   USAGE_API_KEY          the key the page is given (the admin key; empty when keys are not required)
//   USAGE_SCREENSHOTS      where the screenshots go (default artifacts/usage-page)
//   USAGE_DOCS_SCREENSHOT  also copy the screenshot here, e.g. docs/usage-page.png to refresh the docs' copy
//                          (off by default: a test run leaves the tracked files as they are)
//   CHROMIUM               the browser (default /usr/bin/chromium)
//
// Prints "  ok    NAME" or "  FAIL  NAME" per check, then "usage-page: N passed, N failed"; exits 1 on failure.
import { chromium } from 'playwright-core';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const api = process.env.USAGE_API_URL || 'http://localhost:5080';
const key = process.env.USAGE_API_KEY || '';
const shots = process.env.USAGE_SCREENSHOTS || join(root, 'artifacts', 'usage-page');
// Relative to the repository root.
const docsShot = process.env.USAGE_DOCS_SCREENSHOT && resolve(root, process.env.USAGE_DOCS_SCREENSHOT);
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

let passed = 0;
let failed = 0;

async function check(name, body) {
  try {
    const detail = await body();
    passed++;
    console.log(`  ok    ${name}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (error) {
    failed++;
    console.log(`  FAIL  ${name}`);
    console.log(`        ${String(error?.message ?? error).replace(/\x1b\[[0-9;]*m/g, '').split('\n')[0]}`);
    return false;
  }
}

// What the Api reports for the page's default range (the last hour), asked just after the page loaded.
async function usage(groupBy) {
  const to = new Date();
  const from = new Date(to.getTime() - 3600e3);
  const response = await fetch(`${api}/v1/usage?groupBy=${groupBy}&from=${from.toISOString()}&to=${to.toISOString()}`,
    { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!response.ok) throw new Error(`GET /v1/usage?groupBy=${groupBy} answered ${response.status}`);
  return (await response.json()).data;
}

mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'usage-page-check-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });

  const loaded = await check('the page loads and accepts the key', async () => {
    await page.goto(`${api}/usage`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.locator('body[data-loaded="true"]').waitFor();
    if (await page.locator('#status.error').count()) throw new Error(await page.locator('#status').textContent());
  });

  if (loaded) {
    const byModel = await usage('model');
    const byDeployment = await usage('deployment');

    await check('the totals are those GET /v1/usage reports', async () => {
      const requests = byModel.reduce((sum, g) => sum + g.requests, 0);
      const input = byModel.reduce((sum, g) => sum + g.input_tokens, 0);
      const saved = byModel.reduce((sum, g) => sum + g.tokens_saved, 0);
      const card = (id) => page.locator(`[data-card="${id}"] .value`).textContent();
      const shown = [await card('requests'), await card('input'), await card('saved')];
      const expected = [integer.format(requests), integer.format(input), integer.format(saved)];
      if (shown.join() !== expected.join()) throw new Error(`page shows ${shown.join(' / ')}, the Api ${expected.join(' / ')}`);
      return `${expected[0]} requests, ${expected[1]} input tokens, ${expected[2]} tokens saved`;
    });

    for (const [group, rows] of [['model', byModel], ['deployment', byDeployment]]) {
      await check(`the table by ${group} shows every ${group} with its requests and tokens`, async () => {
        if (rows.length === 0) throw new Error(`GET /v1/usage?groupBy=${group} reports nothing`);
        for (const row of rows) {
          const tr = page.locator(`table[data-group="${group}"] tr[data-key="${row.key}"]`);
          const cell = (field) => tr.locator(`td[data-field="${field}"]`).textContent();
          const shown = [await cell('requests'), await cell('input_tokens'), await cell('output_tokens'), await cell('cache_hits')];
          const expected = [row.requests, row.input_tokens, row.output_tokens, row.cache_hits].map((v) => integer.format(v));
          if (shown.join() !== expected.join()) throw new Error(`${row.key}: page shows ${shown.join(' / ')}, the Api ${expected.join(' / ')}`);
        }
        return rows.map((r) => r.key).join(', ');
      });
    }

    await check('the charts draw the usage over time', async () => {
      const bars = await page.locator('#chart-tokens svg rect').count();
      if (bars === 0) throw new Error('no bars in the tokens chart');
      return `${bars} bars`;
    });

    await check('the cache hit rate is shown', async () => {
      const rate = await page.locator('[data-card="hit-rate"] .value').textContent();
      if (!/%$/.test(rate)) throw new Error(`hit rate reads "${rate}"`);
      return rate;
    });

    await check('the page raised no script errors', async () => {
      if (problems.length) throw new Error(problems.join('; '));
    });

    await page.screenshot({ path: join(shots, 'usage-page.png'), fullPage: true });
    if (docsShot) {
      mkdirSync(dirname(docsShot), { recursive: true });
      copyFileSync(join(shots, 'usage-page.png'), docsShot);
    }
  }
} catch (error) {
  failed++;
  console.log(`  FAIL  the browser could not be driven: ${String(error?.message ?? error).split('\n')[0]}`);
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}

console.log(`usage-page: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
