import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vitest/config';

// No @vitejs/plugin-react: esbuild's automatic JSX runtime is all this app needs, and it keeps the
// toolchain installable on machines whose npm cannot take the plugin's newer peers.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
      // The server refuses cross-origin websockets; the dev proxy presents the server's own origin.
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true, configure: (proxy) => proxy.on('proxyReqWs', (req) => req.setHeader('origin', 'http://127.0.0.1:8080')) },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
