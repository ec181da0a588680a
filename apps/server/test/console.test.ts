// The console and hosted pages as the server serves them (the app itself is tested in Chromium by
// apps/console/e2e): the built index.html on every page path under a strict CSP, hashed assets with a
// year's cache, a clear 503 when not built, and mailed links that follow GATEHOUSE_APP_URL.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callerAs, ownerWithKey, sessionFor, startTestRuntime, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { hostedPages } from '../src/console.js';
import { appFor } from './app.js';

const env = useTestRuntime();

function builtConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="/console/assets/app-1a2b.js"></script>',
  );
  writeFileSync(join(dir, 'assets/app-1a2b.js'), 'console.log("hi")');
  return dir;
}

describe('console and hosted pages', () => {
  it('answers every page path with the app under a CSP that allows only its own files', async () => {
    const app = appFor(env.runtime, { consoleDir: builtConsole() });
    for (const path of ['/console', '/console/members', '/console/keys?x=1', ...hostedPages]) {
      const page = await app.request(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('/console/assets/app-1a2b.js');
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe');
    }
    const root = await app.request('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console');
  });

  it('serves hashed assets for a year, and nothing else from the directory', async () => {
    const app = appFor(env.runtime, { consoleDir: builtConsole() });
    const asset = await app.request('/console/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log("hi")');
    for (const path of ['/console/assets/missing.js', '/console/assets/..%2Findex.html', '/console/index.html/..']) {
      const refused = await app.request(path);
      expect(refused.headers.get('content-type') ?? '', path).not.toContain('javascript');
    }
    expect((await app.request('/console/assets/missing.js')).status).toBe(404);
  });

  it('says how to build the console when it is not built, and serves nothing without a directory', async () => {
    const unbuilt = await appFor(env.runtime, { consoleDir: mkdtempSync(join(tmpdir(), 'gatehouse-none-')) }).request(
      '/console',
    );
    expect(unbuilt.status).toBe(503);
    expect(await unbuilt.text()).toContain('corepack pnpm --filter @gatehouse/console build');
    expect((await appFor(env.runtime).request('/console')).status).toBe(404);
  });

  it('points mailed links at GATEHOUSE_APP_URL when set, and keeps the server as the token issuer', async () => {
    expect(loadConfig({ GATEHOUSE_APP_URL: 'https://app.example.com/' }).appUrl).toBe('https://app.example.com/');
    expect(loadConfig({}).appUrl).toBeUndefined();
    const runtime = await startTestRuntime(env.db, { appUrl: 'https://app.example.com/' });
    try {
      expect(runtime.appUrl).toBe('https://app.example.com');
      expect(runtime.publicUrl).toBe('http://gatehouse.test');
      const owner = await ownerWithKey(env.db.orm);
      const session = await sessionFor(env.db.orm, owner.userId);
      const { results } = await callerAs(runtime, session).users.preRegister({
        emails: [`app-url-${Date.now()}@example.com`],
        sendInviteEmail: true,
        role: 'viewer',
      });
      expect(results[0]?.acceptInviteUrl).toMatch(/^https:\/\/app\.example\.com\/invitations\/accept\?token=/);
    } finally {
      await runtime.stop();
    }
  });
});
