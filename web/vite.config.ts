import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// crmd serves the built app and the API from one origin; in development Vite serves the app and
// forwards the server's routes, so cookies, CSRF and the same-origin WebSocket behave as in production.
const target = process.env.CRMD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: true },
      '/media': { target, changeOrigin: true },
      '/ws': {
        target,
        ws: true,
        changeOrigin: true,
        // crmd rejects a WebSocket whose Origin does not match its Host; changeOrigin rewrites Host
        // only, so the browser's Origin (the Vite dev server) is rewritten to the target as well.
        configure: (proxy) => {
          proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('origin', target));
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
