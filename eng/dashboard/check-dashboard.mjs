// End-to-end check of the Aspire dashboard of the running platform: drives Chromium headless through
// the dashboard's login URL and checks that the traces, structured logs and metrics the services
// export over OTLP are shown. Run by eng/dashboard-check.sh, which sends the traffic first.
//
// Environment:
//   DASHBOARD_LOGIN_URL    the dashboard's login URL with its token (else read from APPHOST_LOG)
//   APPHOST_LOG            the AppHost log holding it (default /tmp/platform-services/run/apphost.log)
//   DASHBOARD_TRACE_ID     trace id of the chat request that called an MCP tool (else: the newest such trace)
//   DASHBOARD_WAIT_SECONDS how long each check waits for telemetry to arrive (default 90)
//   DASHBOARD_SCREENSHOTS  where the screenshots go (default artifacts/dashboard)
//   CHROMIUM               the browser (default /usr/bin/chromium)
//
// Prints "  ok    NAME" or "  FAIL  NAME" per check, then "dashboard: N passed, N failed"; exits 1 on failure.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const appHostLog = process.env.APPHOST_LOG || '/tmp/platform-services/run/apphost.log';
const loginUrl = process.env.DASHBOARD_LOGIN_URL || loginUrlFrom(appHostLog);
const wantedTrace = (process.env.DASHBOARD_TRACE_ID || '').toLowerCase();
const waitSeconds = Number(process.env.DASHBOARD_WAIT_SECONDS || 90);
const shots = process.env.DASHBOARD_SCREENSHOTS || join(root, 'artifacts', 'dashboard');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';

let passed = 0;
let failed = 0;

function loginUrlFrom(log) {
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  const urls = text.match(/https?:\/\/\S+\/login\?t=\w+/g);
  if (!urls) {
    console.error(`dashboard: no login URL in ${log}; is the AppHost running?`);
    console.log('dashboard: 0 passed, 1 failed');
    process.exit(1);
  }
  return urls[urls.length - 1];
}

async function check(name, body) {
  try {
    const detail = await body();
    passed++;
    console.log(`  ok    ${name}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (error) {
    failed++;
    console.log(`  FAIL  ${name}`);
    console.log(`        ${firstLine(error)}`);
    return false;
  }
}

// Playwright's messages go on with a call log; the first line says what failed.
const firstLine = (error) => String(error?.message ?? error).replace(/\x1b\[[0-9;]*m/g, '').split('\n')[0];

mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'dashboard-check-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const base = new URL(loginUrl).origin;

  // Retries `probe` (which throws or returns a falsy value while the telemetry is not there yet),
  // reopening the page between attempts; returns the probe's value.
  async function eventually(what, open, probe) {
    const deadline = Date.now() + waitSeconds * 1000;
    let last;
    for (;;) {
      try {
        await open();
        const value = await probe();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        throw new Error(`${what}: not seen within ${waitSeconds}s${last ? `; last error: ${firstLine(last)}` : ''}`);
      }
      await page.waitForTimeout(3000);
    }
  }

  // Opens a dashboard page and waits for its data grid's column headers: the page is rendered only
  // once its Blazor circuit has connected back, so they are the sign of real content.
  async function open(path, ready = page.getByRole('columnheader').first()) {
    await page.goto(new URL(path, base).href, { waitUntil: 'domcontentloaded' });
    await ready.waitFor({ state: 'visible', timeout: 45_000 });
    await dismissNotifications();
  }

  // The "no trusted development certificate" bar is noise in the screenshots.
  const dismissNotifications = () => page.getByRole('alert').getByLabel('Dismiss notification').first()
    .click({ timeout: 1500 }).catch(() => {});

  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`) });
  const cell = (name) => page.getByRole('gridcell', { name });

  const loggedIn = await check('login URL opens the dashboard', async () => {
    await page.goto(loginUrl, { waitUntil: 'domcontentloaded' });
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 45_000 });
    await cell(/^(\w+: )?api$/).first().waitFor({ timeout: 45_000 }); // the resources grid, "Project: api"
    await dismissNotifications();
    await shot('resources');
  });

  if (loggedIn) {
    // (a) Traces: the api's trace of POST /v1/chat/completions that ran an MCP tool server-side.
    const chatTrace = new RegExp(`^Name: api: POST /v1/chat/completions\\s+Trace Id: (${wantedTrace || '[0-9a-f]{32}'})`);
    let traceId;
    await check(`traces list shows the api trace of POST /v1/chat/completions${wantedTrace ? ` ${wantedTrace.slice(0, 7)}` : ''} with mcphost spans`, async () => {
      const row = await eventually('the chat trace', async () => {
        await open('/traces/resource/api');
        await page.getByRole('searchbox').first().fill('/v1/chat/completions');
      }, async () => {
        const rows = page.getByRole('row').filter({ has: cell(chatTrace) }).filter({ hasText: 'mcphost' });
        await rows.first().waitFor({ timeout: 10_000 });
        return rows.last();
      });
      traceId = chatTrace.exec(await row.getByRole('gridcell', { name: chatTrace }).getAttribute('aria-label'))[1];
      await row.scrollIntoViewIfNeeded();
      await shot('traces');
      return traceId.slice(0, 7);
    });

    let spans = [];
    const detailOpened = traceId && await check('trace detail opens with its spans', async () => {
      let clicked = false;
      await eventually('the trace detail', async () => {
        if (clicked || !page.url().includes('/traces/resource/')) return open(`/traces/detail/${traceId}`);
        // First from the list, as a user would: a click on the trace's row opens its detail.
        clicked = true;
        await cell(new RegExp(`Trace Id: ${traceId}`)).click();
        await page.waitForURL(/\/traces\/detail\//, { timeout: 15_000 });
      }, async () => {
        await cell(/^api: POST \/v1\/chat\/completions/).first().waitFor({ timeout: 10_000 });
        // The trace's spans arrive from two services; wait for the tool's span on mcphost too.
        await cell(/^mcphost: execute_tool /).first().waitFor({ timeout: 10_000 });
        return true;
      });
      const names = await page.getByRole('gridcell', { name: /^\w+: / }).evaluateAll((cells) =>
        cells.map((c) => c.getAttribute('aria-label').split('\n')[0]));
      spans = names;
      await shot('trace-detail');
      return `${names.length} spans`;
    });

    if (detailOpened) {
      // The span detail panel lists properties as rows of name and value cells.
      const property = async (name) => {
        const values = await page.getByRole('row').evaluateAll((rows, wanted) => rows
          .map((row) => [...row.querySelectorAll('[role=gridcell]')].map((c) => c.innerText.trim()))
          .filter((cells) => cells.length >= 2 && cells[0] === wanted)
          .map((cells) => cells[cells.length - 1]), name);
        if (!values.length) throw new Error(`no "${name}" in the span details`);
        return values[0];
      };
      // Spans are selected by their position in the tree (names repeat, e.g. several POST /mcp/).
      const spanCells = page.getByRole('gridcell', { name: /^\w+: / });
      let selected = '';
      const selectSpan = async (index) => {
        await spanCells.nth(index).click();
        for (let i = 0; i < 60; i++) {
          const spanId = await property('SpanId').catch(() => '');
          if (spanId && spanId !== selected) {
            selected = spanId;
            return;
          }
          await page.waitForTimeout(500);
        }
        throw new Error(`the details of ${spans[index]} did not open`);
      };

      await check('trace has a GenAI span of the api ("chat <model>", gen_ai.* attributes)', async () => {
        const genAI = spans.findIndex((s) => /^api: chat \S/.test(s));
        if (genAI < 0) throw new Error(`no span named "chat ..." among: ${spans.join(', ')}`);
        await selectSpan(genAI);
        const operation = await property('gen_ai.operation.name');
        const model = await property('gen_ai.request.model');
        if (operation !== 'chat') throw new Error(`gen_ai.operation.name is "${operation}"`);
        await shot('trace-genai-span');
        return `${spans[genAI].slice(5)}, gen_ai.request.model=${model}`;
      });

      await check('trace has the api\'s MCP call: HTTP client span POST to mcphost /mcp, parent of mcphost\'s execute_tool', async () => {
        // The tool's span on mcphost, its parent (the server span of POST /mcp) and the api's client span above it.
        const tool = spans.findIndex((s) => /^mcphost: execute_tool \S/.test(s));
        if (tool < 0) throw new Error(`no execute_tool span of mcphost among: ${spans.join(', ')}`);
        const server = spans.findLastIndex((s, i) => i < tool && /^mcphost: POST /.test(s));
        const client = spans.findLastIndex((s, i) => i < server && /^api: /.test(s));
        if (server < 0 || client < 0) throw new Error(`no api -> mcphost call above ${spans[tool]}: ${spans.join(', ')}`);
        await selectSpan(tool);
        const toolParent = await property('ParentId');
        await selectSpan(server);
        const [serverId, serverParent] = [await property('SpanId'), await property('ParentId')];
        await selectSpan(client);
        const clientId = await property('SpanId');
        if (toolParent !== serverId || serverParent !== clientId) {
          throw new Error(`span links broken: ${spans[tool]} parent ${toolParent}, ${spans[server]} ${serverId} parent ${serverParent}, ${spans[client]} ${clientId}`);
        }
        const [name, kind, source, url] = [await property('Name'), await property('Kind'), await property('Source'), await property('url.full')];
        if (!/\/mcp\/?$/.test(url)) throw new Error(`${spans[client]} goes to ${url}, not an /mcp endpoint`);
        if (kind !== 'Client' || source !== 'System.Net.Http') throw new Error(`${spans[client]}: kind ${kind}, source ${source}`);
        await shot('trace-mcp-span');
        return `api span "${name}" (${source}, shown as "${spans[client].slice(5)}") ${url} -> ${spans[server]} -> ${spans[tool]}`;
      });
    }

    // (b) Structured logs from the api and the worker.
    for (const resource of ['api', 'worker']) {
      await check(`structured logs show entries from ${resource}`, async () => {
        const rows = await eventually(`${resource} log entries`, () => open(`/structuredlogs/resource/${resource}`), async () => {
          const entries = page.getByRole('row').filter({ has: cell(new RegExp(`^${resource}$`)) });
          await entries.first().waitFor({ timeout: 10_000 });
          return entries;
        });
        await shot(`structured-logs-${resource}`);
        return `${await rows.count()} rows shown`;
      });
    }

    // (c) Metrics of the api: the platform's own meters and the gen_ai instruments.
    await check('metrics of api list the Platform.* meters and gen_ai instruments', async () => {
      // The meters and instruments are the items of a tree, each titled with its name.
      const anyMeter = page.getByTitle(/^(Platform|System|Microsoft)\./).first();
      const titles = (pattern) => page.getByTitle(pattern).evaluateAll((items) => [...new Set(items.map((i) => i.title))]);
      const [meters, instruments] = await eventually('Platform.* meters and gen_ai instruments', () => open('/metrics/resource/api', anyMeter), async () => {
        const found = [await titles(/^Platform\.\w+$/), await titles(/^gen_ai\.client\./)];
        return found.every((names) => names.length) && found;
      });
      const genAI = page.getByTitle(/^gen_ai\.client\./);
      const tokenUsage = page.getByTitle('gen_ai.client.token.usage', { exact: true });
      await (await tokenUsage.count() ? tokenUsage : genAI).first().click();
      await page.waitForURL(/instrument=/, { timeout: 15_000 }).catch(() => {});
      await page.waitForTimeout(2000);
      await shot('metrics');
      return `${meters.join(', ')}; ${instruments.join(', ')}`;
    });
  }
} catch (error) {
  failed++;
  console.log(`  FAIL  browser session`);
  console.log(`        ${firstLine(error)}`);
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}

console.log(`dashboard: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
