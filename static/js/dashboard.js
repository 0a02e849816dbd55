/* Oversight pages: ECharts charts from the embedded json_script data, clickable rows, sortable tables. */
(function () {
  "use strict";

  // Pass/fail colours of the ranking bars. Each dimension's colour comes with the data ("colours": the one map,
  // oversight.CHART_COLOURS), the same on the bar charts and the trend lines.
  var RED = "#a61b1b", GREEN = "#157347";
  var FONT = '"Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
  var charts = [];

  // Translated labels come with the page's data (json_script "dashboard-data").
  function label(key, fallback) {
    var el = document.getElementById("dashboard-data");
    var data = el ? JSON.parse(el.textContent) : {};
    return (data.labels && data.labels[key]) || fallback;
  }

  function pct(value) { return value === null || value === undefined ? "—" : value + "%"; }

  function node(tag, className, text) {
    var el = document.createElement(tag);
    el.className = className;
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  // ECharts' own tooltip markup carries style attributes, which the Content-Security-Policy refuses.
  // These tooltips are built from DOM nodes: layout from oversight.css, each series' colour through the CSSOM.
  function tooltip(title, rows) {
    var box = node("div", "chart-tip");
    box.appendChild(node("div", "chart-tip-title", title));
    rows.forEach(function (row) {
      var line = node("div", "chart-tip-row");
      if (row.color) {
        var dot = node("span", "chart-tip-dot");
        dot.style.backgroundColor = row.color;
        line.appendChild(dot);
      }
      line.appendChild(node("span", "chart-tip-name", row.name));
      line.appendChild(node("span", "chart-tip-value", row.value));
      box.appendChild(line);
    });
    return box;
  }

  function axisTooltip(items) {
    return tooltip(items.length ? items[0].axisValueLabel : "", items.map(function (item) {
      return { color: typeof item.color === "string" ? item.color : null, name: item.seriesName, value: pct(item.value) };
    }));
  }

  function makeChart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: FONT };
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  function countyChart(data) {
    var counties = data.counties.slice().reverse(); // best at the top of a horizontal bar chart
    var el = document.getElementById("chart-counties");
    if (el) { el.style.height = Math.max(320, counties.length * 26 + 60) + "px"; }
    var chart = makeChart("chart-counties", {
      grid: { left: 8, right: 48, top: 10, bottom: 24, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
        var c = counties[items[0].dataIndex];
        return tooltip(c.name, [{ name: label("rank", "排名"), value: c.rank_label },
                                { name: label("share", "达标率"), value: pct(c.share) + "（" + c.passing + "/" + c.assessed + "）" }]);
      } },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: counties.map(function (c) { return c.name; }), triggerEvent: true },
      series: [{
        type: "bar", data: counties.map(function (c) { return c.share === null ? 0 : c.share; }),
        itemStyle: { color: function (p) { return p.value >= 80 ? GREEN : RED; } },
        label: { show: true, position: "right", formatter: function (p) { return pct(counties[p.dataIndex].share); } },
        cursor: "pointer"
      }]
    });
    if (chart) {
      chart.on("click", function (params) {
        var index = params.componentType === "yAxis"
          ? counties.map(function (c) { return c.name; }).indexOf(params.value) : params.dataIndex;
        if (index >= 0 && counties[index]) { window.location.href = counties[index].url; }
      });
    }
  }

  function dimensionCharts(data) {
    var names = data.counties.map(function (c) { return c.name; });
    data.dimensions.forEach(function (dimension) {
      var chart = makeChart("chart-dim-" + dimension.key, {
        grid: { left: 8, right: 8, top: 10, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", formatter: axisTooltip },
        xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: 45, fontSize: 10 } },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ name: dimension.label, type: "bar", data: dimension.shares, itemStyle: { color: data.colours[dimension.key] }, cursor: "pointer" }]
      });
      if (chart) {
        chart.on("click", function (params) {
          var county = data.counties[params.dataIndex];
          if (county) { window.location.href = county.url; }
        });
      }
    });
  }

  // ECharts' legend defaults, which legendLines reckons with.
  var LEGEND = { padding: 5, itemWidth: 25, itemHeight: 14, itemGap: 10, textGap: 5, fontSize: 12 };

  // How many lines the plain legend takes in `width` px: it wraps every entry onto the lines it needs
  // (a scrolling legend hid three of the eight), but leaves the plot where it was.
  function legendLines(names, width) {
    var context = document.createElement("canvas").getContext("2d");
    context.font = LEGEND.fontSize + "px " + FONT;
    var available = width - 2 * LEGEND.padding, used = 0, lines = 1;
    names.forEach(function (name) {
      var item = LEGEND.itemWidth + LEGEND.textGap + context.measureText(name).width;
      if (used > 0 && used + item > available) { lines += 1; used = 0; }
      used += item + LEGEND.itemGap;
    });
    return lines;
  }

  // The plot starts under the legend's last line; the chart grows by the legend's height.
  function trendLayout(el, names) {
    var lines = legendLines(names, el.clientWidth);
    var legendHeight = 2 * LEGEND.padding + lines * LEGEND.itemHeight + (lines - 1) * LEGEND.itemGap;
    el.style.height = (300 + legendHeight) + "px";
    return { top: legendHeight + 16 };
  }

  function trendChart(trend) {
    var el = document.getElementById("chart-trend");
    if (!el) { return; }
    el.innerHTML = "";
    var names = trend.series.map(function (s) { return s.label; });
    var chart = makeChart("chart-trend", {
      grid: { left: 8, right: 16, top: trendLayout(el, names).top, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", formatter: axisTooltip },
      legend: { type: "plain", top: 0, left: 0, padding: LEGEND.padding, itemGap: LEGEND.itemGap,
                itemWidth: LEGEND.itemWidth, itemHeight: LEGEND.itemHeight, textStyle: { fontSize: LEGEND.fontSize } },
      xAxis: { type: "category", data: trend.years.map(String) },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: trend.series.map(function (s) {
        var colour = trend.colours[s.key];
        return { name: s.label, type: "line", data: s.values, connectNulls: true, itemStyle: { color: colour },
                 lineStyle: { color: colour, width: s.key === "overall" ? 3 : 1.5 }, symbolSize: s.key === "overall" ? 8 : 5 };
      })
    });
    if (chart) {
      // A narrower screen wraps the legend onto more lines.
      window.addEventListener("resize", function () {
        chart.setOption({ grid: { top: trendLayout(el, names).top } });
        chart.resize();
      });
    }
  }

  function clickableRows() {
    document.querySelectorAll("tr[data-href]").forEach(function (row) {
      row.addEventListener("click", function (event) {
        if (event.target.closest("a, button, input, select")) { return; }
        window.location.href = row.dataset.href;
      });
    });
  }

  function sortableTables() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      table.querySelectorAll("th[data-sort-col]").forEach(function (th) {
        th.addEventListener("click", function () {
          var col = parseInt(th.dataset.sortCol, 10);
          if (th.dataset.sortCol === "rule") {
            // Rule headers sit in the second header row, after the columns that span both rows.
            var spanning = table.tHead.rows[0].querySelectorAll("th[rowspan]").length;
            col = spanning + Array.prototype.indexOf.call(th.parentNode.children, th);
          }
          var asc = th.dataset.sortDir !== "asc";
          table.querySelectorAll("th[data-sort-col]").forEach(function (h) { delete h.dataset.sortDir; });
          th.dataset.sortDir = asc ? "asc" : "desc";
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-row]"));
          rows.sort(function (a, b) {
            var x = a.cells[col].dataset.sort || a.cells[col].textContent.trim();
            var y = b.cells[col].dataset.sort || b.cells[col].textContent.trim();
            var nx = parseFloat(x), ny = parseFloat(y);
            var result = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "zh-Hans-CN");
            return asc ? result : -result;
          });
          rows.forEach(function (row) { body.appendChild(row); });
          // 序号 counts the rows as they now stand, not as they were first listed.
          rows.forEach(function (row, index) {
            var number = row.querySelector("[data-row-number]");
            if (number) { number.textContent = String(index + 1); }
          });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    clickableRows();
    sortableTables();
    var script = document.getElementById("dashboard-data");
    if (script) {
      var data = JSON.parse(script.textContent);
      countyChart(data);
      dimensionCharts(data);
      var trendEl = document.getElementById("chart-trend");
      if (data.trend && data.trend.years.length) {
        trendChart(data.trend);
      } else if (trendEl && trendEl.dataset.url) {
        // One computation per year: fetched after the page has shown this year's figures.
        fetch(trendEl.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.json(); })
          .then(trendChart)
          .catch(function () { trendEl.textContent = label("trend_failed", "历年数据加载失败，请刷新重试。"); });
      }
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
