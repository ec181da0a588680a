import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `corepack pnpm --filter @gatehouse/console dev` serves the app with hot reload and sends the API
// paths to a running server (GATEHOUSE_URL, default http://localhost:3000), so the browser sees one
// origin and the session cookie works as it does when apps/server serves the built app.
const server = process.env.GATEHOUSE_URL ?? 'http://localhost:3000';
const api = ['/trpc', '/api', '/sso', '/oauth', '/.well-known', '/dev/mail'];

export default defineConfig(({ command }) => ({
  plugins: [react()],
  // Built: hashed files under /console/assets, the one path apps/server serves them from (a year's cache).
  // In dev Vite serves every path (the hosted pages' /sign-in as well as /console) from the root.
  base: command === 'build' ? '/console/' : '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: Object.fromEntries(api.map((path) => [path, { target: server, changeOrigin: false }])) },
}));
