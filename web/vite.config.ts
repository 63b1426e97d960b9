import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web application is built into dist/web and served by the Cloison server itself (same
// origin as the API: the session cookie is SameSite=Strict and the CSP allows 'self' only).
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // No inline <script> or <style> anywhere: the Content-Security-Policy forbids them.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // `vite --config web/vite.config.ts` for development, with the API of `npm start` behind it.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
