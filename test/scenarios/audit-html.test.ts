import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditScenario } from '../helpers/audit-scenario.js';
import type { AuditScenario } from '../helpers/audit-scenario.js';
import { runCli } from '../helpers/run-cli.js';

// The system Chromium (Debian package), never a downloaded one; flags as headless Chromium needs them here.
const CHROMIUM = process.env['AAC_CHROMIUM'] ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let s: AuditScenario;
let profile: string;
let browser: BrowserContext;
beforeAll(async () => {
  s = await createAuditScenario();
  profile = mkdtempSync(join(tmpdir(), 'aac-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  s?.repo.cleanup();
  rmSync(profile, { recursive: true, force: true });
});

/** Opens a report page and records every request that is not the page itself (there must be none). */
async function open(file: string) {
  const page = await browser.newPage();
  const external: string[] = [];
  const errors: string[] = [];
  const url = pathToFileURL(file).href;
  await page.route('**/*', (route) => {
    if (route.request().url() !== url) {
      external.push(route.request().url());
      return route.abort();
    }
    return route.continue();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, external, errors };
}

describe('aac audit report --format html, in headless Chromium', () => {
  it('is one self-contained page with the time-to-provision chart against the targets', async () => {
    const file = join(s.repo.dir, '..', `${s.repo.dir.split('/').pop()}-report.html`);
    const out = await runCli(['audit', 'report', '--format', 'html', '--out', file], { cwd: s.repo.dir, env: s.env });
    expect(out.code).toBe(0);
    const { page, external, errors } = await open(file);

    expect(await page.title()).toBe('Access requests');
    expect(await page.locator('h1').innerText()).toBe('Access requests');
    expect(await page.locator('header .meta').innerText()).toContain('audit log chain intact (12 records)');

    const svg = page.locator('#provisioning svg');
    expect(await svg.isVisible()).toBe(true);
    expect(await svg.locator('g.tier').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-tier')))).toEqual([
      'standard',
      'elevated',
      'privileged',
    ]);
    const standard = svg.locator('g.tier[data-tier="standard"]');
    expect(await standard.locator('rect.bar').getAttribute('class')).toBe('bar late'); // the revocation took 27h against 24h
    expect(await standard.locator('text.target-label').textContent()).toBe('target 24h');
    expect(await svg.locator('g.tier[data-tier="privileged"] text.target-label').textContent()).toBe('target 7d');
    const bar = await standard.locator('rect.bar').boundingBox();
    const target = await standard.locator('line.target').boundingBox();
    expect(bar!.width).toBeGreaterThan(0);
    expect(bar!.x + bar!.width).toBeLessThan(target!.x); // median 15h sits left of the 24h target

    const requests = page.locator('section.report-table', { has: page.locator('h2', { hasText: /^Requests$/ }) });
    expect(await requests.locator('tbody tr').count()).toBe(5);
    expect(await requests.locator('tbody tr').first().innerText()).toContain('#15');
    expect(await page.locator('#summary dd').first().innerText()).toBe('5');

    await page.screenshot({ path: join(tmpdir(), 'aac-audit-report.png'), fullPage: true });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
    rmSync(file, { force: true });
  });

  it('escapes text from the files and the log, so it cannot inject markup', async () => {
    const file = join(s.repo.dir, '..', `${s.repo.dir.split('/').pop()}-person.html`);
    await runCli(['audit', 'person', 'jsmith', '--format', 'html', '--out', file], { cwd: s.repo.dir, env: s.env });
    const { page, external } = await open(file);
    expect(await page.locator('h1').innerText()).toBe('Access of jsmith (Jane Smith)');
    const records = page.locator('section.report-table', { has: page.locator('h2', { hasText: 'Access records' }) });
    expect(await records.locator('tbody tr').count()).toBe(3);
    expect(await records.locator('thead th').allInnerTexts()).toContain('approval chain');
    expect(await page.locator('script').count()).toBe(0);
    expect(external).toEqual([]);
    await page.close();
    rmSync(file, { force: true });
  });
});
