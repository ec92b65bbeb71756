/* compliance: draws the drill-down's charts with Apache ECharts (shipped under static/vendor/echarts). */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function chart(id, option) {
    var element = document.getElementById(id);
    if (!element || typeof window.echarts === "undefined") { return null; }
    var instance = window.echarts.init(element, null, { renderer: "svg" });
    instance.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "inherit" } }, option));
    element.setAttribute("data-drawn", "1");
    return instance;
  }
  ready(function () {
    var source = document.getElementById("party-compliance-data");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    var axisLabel = { interval: 0, rotate: data.coverage.names.length > 4 ? 30 : 0, width: 90, overflow: "truncate" };
    var grid = { left: 48, right: 16, top: 40, bottom: 70, containLabel: false };
    var charts = [
      chart("party-chart-coverage", {
        tooltip: { trigger: "axis" }, grid: grid,
        xAxis: { type: "category", data: data.coverage.names, axisLabel: axisLabel },
        yAxis: { type: "value", max: 100, name: "%" },
        series: [{ type: "bar", name: labels.coverage, data: data.coverage.values, itemStyle: { color: "#b22222" } }]
      }),
      chart("party-chart-histogram", {
        tooltip: { trigger: "axis" }, grid: grid,
        xAxis: { type: "category", data: data.histogram.bins, name: labels.hours, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", name: labels.members, minInterval: 1 },
        series: [{ type: "bar", name: labels.members, data: data.histogram.counts, barCategoryGap: "5%",
                   itemStyle: { color: "#c0504d" } }]
      }),
      chart("party-chart-sources", {
        tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
        grid: Object.assign({}, grid, { top: 64 }),
        xAxis: { type: "category", data: data.sources.names, axisLabel: axisLabel },
        yAxis: { type: "value", name: labels.hours },
        series: data.sources.series.map(function (s) {
          return { type: "bar", stack: "hours", name: s.name, data: s.values };
        })
      })
    ];
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { if (c) { c.resize(); } });
    });
  });
})();
