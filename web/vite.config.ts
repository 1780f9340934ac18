import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'

const root = fileURLToPath(new URL('.', import.meta.url))
// Dev only: where `vite` forwards API calls. The production server serves web/dist itself.
const api = process.env.MOAT_API_URL ?? 'http://127.0.0.1:8787'

export default defineConfig({
  root,
  base: '/',
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Everything ships as a file: a strict CSP may refuse data: URLs for fonts and images.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // The UI imports constants and types from schema/contracts; building the zod schemas
      // there has no side effect, so the browser bundle can leave zod out when nothing uses it.
      treeshake: { manualPureFunctions: ['z'] },
      // Libraries change less often than the app: one cacheable chunk for them.
      // Charts and the PDF writer load on demand, in chunks of their own.
      output: {
        advancedChunks: {
          groups: [
            // Vite's preload helper is shared by every lazy import: it must not ride in a lazy chunk.
            { name: 'vendor', test: /preload-helper/, priority: 3 },
            { name: 'charts', test: /node_modules[\\/](apexcharts|@svgdotjs|@yr)/, priority: 2 },
            { name: 'pdf', test: /node_modules[\\/](jspdf|fflate|fast-png|iobuffer|pako|html2canvas|canvg|core-js|raf|rgbcolor|stackblur-canvas|svg-pathdata|text-segmentation|css-line-break|utrie|base64-arraybuffer|performance-now)/, priority: 2 },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': api,
      '/health': api,
    },
  },
})
