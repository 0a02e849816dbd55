// Builds ../../static/vendor/echarts/echarts.custom.min.js from index.js (run: npm run build).
import { readFileSync, statSync } from "node:fs";
import { build } from "esbuild";

const outfile = new URL("../../static/vendor/echarts/echarts.custom.min.js", import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(new URL("node_modules/echarts/package.json", import.meta.url)));

await build({
  entryPoints: [new URL("index.js", import.meta.url).pathname],
  outfile,
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "echarts", // `var echarts = ...` at the top level of a classic script: window.echarts, as the UMD build
  target: "es2017",
  define: { "process.env.NODE_ENV": '"production"' }, // drops ECharts' development-only checks, as its dist builds do
  legalComments: "none", // the upstream headers are all the Apache-2.0 header; the banner and LICENSE/NOTICE say it once
  banner: {
    js: `/*! Apache ECharts ${version}, custom build for Wuyou's dashboard (frontend/echarts/index.js): bar, line, `
      + "grid, tooltip, scroll legend, canvas renderer. Apache-2.0: see LICENSE and NOTICE beside this file; includes "
      + "ZRender (BSD-3-Clause, LICENSE-zrender) and code from d3 (BSD-3-Clause, LICENSE-d3). */",
  },
  logLevel: "warning",
});

console.log(`${outfile}: ECharts ${version}, ${statSync(outfile).size} bytes`);
