import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vitest/config';

// No @vitejs/plugin-react: esbuild's automatic JSX runtime is all this app needs, and it keeps the
// toolchain installable on machines whose npm cannot take the plugin's newer peers.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  // The server refuses writes and websockets from origins it does not trust, and the dev server's
  // page is one: start the server with Auth__AllowedOrigins__0=http://localhost:5173. (The proxy
  // keeps the browser's Origin: rewriting it would let any page on this host act through it.)
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
