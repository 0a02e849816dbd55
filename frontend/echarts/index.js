// The ECharts the city dashboard needs (static/js/dashboard.js), and nothing more.
// build.mjs wraps this module in an IIFE bound to the global `echarts` (esbuild's globalName), as the
// full build's UMD wrapper did, so dashboard.js and the browser tests use `echarts.init` /
// `echarts.getInstanceByDom` unchanged. A chart type, component or renderer dashboard.js starts to use
// must be added here and the bundle rebuilt (`npm run build`): without it ECharts draws nothing for it.
import { use } from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import {
  GridComponent,         // xAxis/yAxis (value and category) on a cartesian grid, containLabel
  TooltipComponent,      // tooltip trigger "axis" with axisPointer "shadow" (installs AxisPointerComponent)
  LegendScrollComponent, // legend type "scroll" of the trend chart (installs the plain legend too)
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, LineChart, GridComponent, TooltipComponent, LegendScrollComponent, CanvasRenderer]);

export * from "echarts/core";
