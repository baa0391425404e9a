/// <reference types="vitest/config" />
// Vite configuration for the clientd web app. Every option that is not
// Vite's default says why it is here.
import { defineConfig } from 'vite';

// The daemon the dev server forwards /api to (scripts/run starts one on 8888).
const apiTarget = process.env.CLIENTD_URL ?? 'http://127.0.0.1:8888';

export default defineConfig({
  // Vite 8 transforms TS/JSX with oxc: use Preact's automatic JSX runtime
  // (the same setting as tsconfig's jsxImportSource), no Babel, no plugin.
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  resolve: {
    // Libraries written for React (none yet) would get Preact instead.
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  server: {
    // Only this machine: the dev server has no authentication of its own.
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    // Same origin for the browser, so the session cookie and CSRF rules
    // work exactly as when clientd serves the built files.
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    // clientd's CSP allows no inline scripts: keep the module preload
    // polyfill (an inline script in some setups) out of index.html.
    modulePreload: { polyfill: false },
    // Hashed names under /assets/ are what clientd caches for a year.
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
