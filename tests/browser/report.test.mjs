// The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core.
// The page is loaded from a file with the network off (every non-file request is refused and
// counted); the test checks there are no console errors, that the chart has one bar group per
// second of the sample incident, that the marks sit at the report's own times, that every event
// links to its evidence, that the page reads without JavaScript and prints, and that log text
// cannot inject markup. Screenshots and the PDF are kept in $HINDCAST_ARTIFACTS (a build
// artefact, not committed).
//
// Environment: HINDCAST_BINARY (build/hindcast), HINDCAST_SOURCE_DIR (the repository),
// HINDCAST_ARTIFACTS (where to write), CHROMIUM (default /usr/bin/chromium),
// HINDCAST_DOCS_SCREENSHOT=1 also rewrites docs/report-screenshot.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('playwright-core is not installed: run (cd tests/browser && npm ci), as scripts/test.sh does');
  process.exit(1);
}

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = process.env.HINDCAST_SOURCE_DIR || path.resolve(here, '../..');
const binary = path.resolve(process.env.HINDCAST_BINARY || path.join(repo, 'build/hindcast'));
const artifacts = process.env.HINDCAST_ARTIFACTS || path.join(here, 'artifacts');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
fs.mkdirSync(artifacts, { recursive: true });

// The flags that keep chromium quiet on a closed network (no background, sync or update traffic).
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

function hindcast(args) {
  return execFileSync(binary, args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let browser;
let report;          // the JSON report of the same run
let htmlPath;

before(async () => {
  htmlPath = path.join(artifacts, 'seed-classic.html');
  hindcast(['analyze', 'sample_logs/seed-classic', '--format', 'html', '-o', htmlPath, '-q']);
  report = JSON.parse(hindcast(['analyze', 'sample_logs/seed-classic', '--format', 'json', '-q']));
  browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
});

after(async () => { await browser?.close(); });

// Opens a file with the network off; returns the page, its console errors and refused requests.
async function open(file, options = {}) {
  const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 }, ...options });
  const refused = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    refused.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  const dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.goto('file://' + file, { waitUntil: 'load' });
  return { context, page, errors, refused, dialogs };
}

const seconds = (t) => Math.floor(Date.parse(t) / 1000);

test('loads offline with no console error and no request', async () => {
  const { context, page, errors, refused } = await open(htmlPath);
  assert.deepEqual(errors, []);
  assert.deepEqual(refused, []);
  assert.equal(await page.evaluate(() => document.scripts.length), 0, 'the page needs no script');
  await page.screenshot({ path: path.join(artifacts, 'seed-classic-full.png'), fullPage: true });
  await page.screenshot({ path: path.join(artifacts, 'seed-classic-top.png') });
  if (process.env.HINDCAST_DOCS_SCREENSHOT === '1')
    await page.screenshot({ path: path.join(repo, 'docs/report-screenshot.png'), clip: { x: 0, y: 0, width: 1200, height: 900 } });
  await context.close();
});

test('one bar group per second, the incident shaded', async () => {
  const { context, page } = await open(htmlPath);
  const groups = await page.$$eval('#request-chart .bar-group', (gs) => gs.map((g) => g.getAttribute('data-time')));
  const series = report.request_series;
  assert.equal(series.bucket_s, 1);
  assert.equal(groups.length, series.status_2xx.length);
  // Independently of the series: the access log's first to last second.
  const access = report.sources.find((s) => s.format === 'apache-access');
  assert.equal(groups.length, seconds(access.last) - seconds(access.first) + 1);
  groups.forEach((t, i) => assert.equal(seconds(t), seconds(groups[0]) + i, `group ${i} is the next second`));
  const inIncident = groups.filter((t) => seconds(t) >= seconds(report.incident.start) && seconds(t) <= seconds(report.incident.end));
  assert.equal(inIncident.length, seconds(report.incident.end) - seconds(report.incident.start) + 1);
  // Every bar group's total is the series' total for that second.
  const totals = await page.$$eval('#request-chart .bar-group', (gs) => gs.map((g) => Number(g.getAttribute('data-total'))));
  totals.forEach((n, i) => assert.equal(n, series.status_2xx[i] + series.status_3xx[i] + series.status_4xx[i] + series.status_5xx[i] + series.status_other[i]));
  const shade = await page.$eval('#incident-window', (r) => [r.getAttribute('data-start'), r.getAttribute('data-end')]);
  assert.deepEqual(shade, [report.incident.start, report.incident.end]);
  await context.close();
});

test('trigger, detection, root cause and resolution are marked at the report\'s times', async () => {
  const { context, page } = await open(htmlPath);
  const expected = {
    trigger: report.trigger.time,
    detected: report.incident.detected,
    root_cause: report.postmortem.root_cause_first_evidence,
    resolution: report.resolution.time,
  };
  for (const [kind, time] of Object.entries(expected)) {
    assert.ok(time, `${kind} has a time in the report`);
    const mark = await page.$(`#request-chart .mark[data-kind="${kind}"]`);
    assert.ok(mark, `${kind} is marked`);
    assert.equal(await mark.getAttribute('data-time'), time);
    // On screen, the mark's line lies inside the bar group of its second.
    const line = await (await mark.$('line')).boundingBox();
    const second = new Date(seconds(time) * 1000).toISOString().replace('.000Z', 'Z');
    const group = await page.$(`#request-chart .bar-group[data-time="${second}"]`);
    assert.ok(group, `a bar group for ${second}`);
    const box = await group.boundingBox();
    const x = line.x + line.width / 2;
    assert.ok(x >= box.x - 0.5 && x <= box.x + box.width + 1.5, `${kind} at x=${x}, its second's bars span ${box.x}..${box.x + box.width}`);
  }
  await context.close();
});

test('every event links to its evidence text, and the sections are in order', async () => {
  const { context, page } = await open(htmlPath);
  const links = await page.$$eval('a[href^="#ev-"]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= report.timeline.length);
  for (const href of new Set(links)) {
    const text = await page.$eval(`${href} pre`, (p) => p.textContent);
    assert.ok(text.trim().length > 0, `${href} has text`);
  }
  const lanes = await page.$$eval('#lanes .lane-event', (as) => as.length);
  assert.ok(lanes >= report.timeline.length);
  // Each timeline entry cites a line whose evidence is on the page.
  for (const e of report.timeline) {
    const li = await page.$(`ol.evidence li[data-source="${e.source}"][data-line="${e.line}"]`);
    assert.ok(li, `evidence for ${e.source}:${e.line}`);
  }
  const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent));
  assert.deepEqual(headings, report.postmortem.sections.map((s) => s.name));
  await context.close();
});

test('readable without JavaScript and when printed', async () => {
  const { context, page } = await open(htmlPath, { javaScriptEnabled: false });
  const text = await page.evaluate(() => document.body.innerText);
  assert.ok(text.includes(report.root_cause.summary.slice(0, 60)));
  assert.ok(text.includes('[TO FILL IN]'));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.$eval('nav', (n) => getComputedStyle(n).display), 'none');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  fs.writeFileSync(path.join(artifacts, 'seed-classic.pdf'), pdf);
  assert.ok(pdf.length > 10000);
  await context.close();
});

test('markup in a log line is shown as text, never run', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hindcast-hostile-'));
  for (const f of ['access.log', 'error.log']) fs.copyFileSync(path.join(repo, 'sample_logs/seed-classic', f), path.join(dir, f));
  const lines = fs.readFileSync(path.join(repo, 'sample_logs/seed-classic/syslog'), 'utf8').split('\n');
  const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><a href="javascript:alert(3)">x</a> \x1b]0;title\x07';
  lines[7] = lines[7].replace('release', 'release ' + hostile);
  fs.writeFileSync(path.join(dir, 'sys<b>log\x1b[31m'), lines.join('\n'));
  const out = path.join(artifacts, 'hostile.html');
  hindcast(['analyze', dir, '--format', 'html', '-o', out, '-q']);
  const { context, page, errors, refused, dialogs } = await open(out);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(refused, []);
  assert.equal(await page.$$eval('img, script, a[href^="javascript"]', (es) => es.length), 0);
  const text = await page.evaluate(() => document.body.innerText);
  assert.ok(text.includes('<script>window.pwned=2</script>'), 'the markup is shown as text');
  assert.ok(text.includes('sys<b>log\\x1b[31m'), 'the file name is shown, its escape visible');
  fs.rmSync(dir, { recursive: true, force: true });
  await context.close();
});
