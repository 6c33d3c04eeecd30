import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The UI lives in ui/; the built files go to ui/dist (tauri.conf.json: build.frontendDist).
export default defineConfig({
  root: "ui",
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true, target: "safari16" },
  test: { include: ["src/**/*.test.ts"] },
});
