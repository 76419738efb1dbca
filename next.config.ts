import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';
import limits from './lib/limits.json';

const withNextIntl = createNextIntlPlugin({
  requestConfig: './lib/i18n/request.ts',
  experimental: { messages: { path: './messages', format: 'json', locales: 'infer', precompile: true } },
});

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

const nextConfig: NextConfig = {
  // A separate build folder lets several builds (a developer's and the tests') live side by side.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // chinese-days declares "type": "commonjs" but its `module` entry is ESM, which Turbopack refuses
  // to bundle: load it from node_modules at run time (its CommonJS `main`).
  serverExternalPackages: ['chinese-days'],
  experimental: {
    // Uploads go through server actions: 10 MB of file plus the form around it (lib/limits.json,
    // 11 MB; scripts/server.mjs refuses a larger body before Next reads it).
    serverActions: { bodySizeLimit: limits.maxBodyBytes },
    // proxy.ts makes Next buffer every request body, by default only its first 10 MB: a 10 MB
    // upload plus its form would arrive cut short. The same limit as the server actions.
    proxyClientMaxBodySize: limits.maxBodyBytes,
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default withNextIntl(nextConfig);
