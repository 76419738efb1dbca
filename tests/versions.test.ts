import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The INSTALLED versions (node_modules, not package.json's ranges) must carry the fixes for the
 * known security advisories: Next.js 16.2.6+ (middleware/proxy authorisation bypass, server action
 * and image-optimiser denial-of-service fixes of the 16.x line) and React 19.2.x with the React
 * Server Components fixes (remote code execution and the follow-up denial-of-service / source
 * exposure advisories, fixed in 19.2.3).
 */

const MINIMUM: Record<string, string> = {
  next: '16.2.6',
  react: '19.2.3',
  'react-dom': '19.2.3',
  'next-auth': '5.0.0-beta.30',
};

function installedVersion(name: string): string {
  const file = path.join(process.cwd(), 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

type Parsed = { core: [number, number, number]; pre: (string | number)[] };

function parse(version: string): Parsed {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  const pre = match[4] ? match[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre };
}

/** Semantic-version order: <0, 0, >0. A pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i] - y.core[i];
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return -1;
    if (typeof q === 'number') return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

describe('compareVersions', () => {
  it('orders versions as semver does', () => {
    expect(compareVersions('16.2.6', '16.2.6')).toBe(0);
    expect(compareVersions('16.2.5', '16.2.6')).toBeLessThan(0);
    expect(compareVersions('16.10.0', '16.9.9')).toBeGreaterThan(0);
    expect(compareVersions('19.2.3', '19.2.3-canary.1')).toBeGreaterThan(0);
    expect(compareVersions('5.0.0-beta.9', '5.0.0-beta.30')).toBeLessThan(0);
    expect(compareVersions('5.0.0-beta.32', '5.0.0-beta.30')).toBeGreaterThan(0);
  });
});

describe('installed framework versions carry the security fixes', () => {
  for (const [name, minimum] of Object.entries(MINIMUM)) {
    it(`${name} ≥ ${minimum}`, () => {
      const installed = installedVersion(name);
      expect(compareVersions(installed, minimum), `${name} ${installed} is older than ${minimum}`).toBeGreaterThanOrEqual(0);
    });
  }

  it('react and react-dom are the same version', () => {
    expect(installedVersion('react-dom')).toBe(installedVersion('react'));
  });
});
