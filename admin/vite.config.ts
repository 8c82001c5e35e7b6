import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Served by the server under /admin; the API is same-origin, so the dev
// server proxies it to a running server (`npm start`, or API_URL).
const api = process.env.API_URL ?? 'http://127.0.0.1:3333'

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Libraries here are plain modules; many (react-markdown and its
      // micromark tree, papaparse, qs) do not say so in package.json, and
      // Refine's single-file bundles would otherwise drag them into the
      // first load. Stylesheets keep their side effects.
      treeshake: {
        moduleSideEffects: (id: string) => !id.includes('/node_modules/') || id.endsWith('.css'),
      },
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/__transmit': api,
    },
  },
})
