import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The analysts' console. `vite build` writes dist/console-web, which the console service serves beside its
// /v1 forward to the case API; `vite` (dev) forwards /v1 to a local case service the same way.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: '../../../dist/console-web', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: { port: 18118, proxy: { '/v1': 'http://127.0.0.1:18107' } },
});
