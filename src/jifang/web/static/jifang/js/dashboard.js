/* The dashboard's charts: fetched as JSON from the body's data-charts-url (the same figures
   as the tables beside them) and drawn with the vendored ECharts. Redrawn whenever HTMX swaps
   the dashboard body (the division filter). Without JavaScript the tables carry everything. */
(function () {
  "use strict";

  var charts = [];
  var drawnFor = null; // the dashboard body the charts belong to
  var PIE_SLICES = 11;
  var BLUE = ["#0b3d91", "#1d5bbf", "#3f7fd9", "#6fa0e6", "#9cc0f0", "#b54708", "#1a7f37",
              "#b42318", "#6b7280", "#8e6bbf", "#c08a2e", "#2e8b8b"];

  function dispose() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
  }

  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return; }
    var c = echarts.init(el);
    c.setOption(option);
    c.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    charts.push(c);
  }

  function empty(id, text) {
    var el = document.getElementById(id);
    if (el) { el.classList.add("chart-empty"); el.textContent = text; }
  }

  function bar(id, rows, name, value, label) {
    if (!rows.length) { empty(id, "暂无数据"); return; }
    chart(id, {
      color: BLUE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category", inverse: true,
        data: rows.map(function (r) { return r[name]; }),
        axisLabel: { width: 180, overflow: "truncate" }
      },
      series: [{
        type: "bar", name: label,
        data: rows.map(function (r) { return { value: r[value], url: r.url }; }),
        label: { show: true, position: "right" }
      }]
    });
  }

  function draw(data) {
    dispose();
    // The pie keeps the largest categories and folds the rest into one slice; the table
    // beside it lists every category.
    var cats = data.units_by_category.slice(0, PIE_SLICES);
    var rest = data.units_by_category.slice(PIE_SLICES).reduce(function (n, r) { return n + r.units; }, 0);
    if (rest) { cats.push({ label: "其余类别", units: rest, url: null }); }
    if (cats.length) {
      chart("chart-categories", {
        color: BLUE,
        tooltip: { trigger: "item", formatter: "{b}：{c} 家（{d}%）" },
        series: [{
          type: "pie", radius: ["30%", "65%"], name: "单位数",
          label: { formatter: "{b}", overflow: "truncate", width: 110 },
          data: cats.map(function (r) { return { name: r.label, value: r.units, url: r.url }; })
        }]
      });
    } else {
      empty("chart-categories", "暂无数据");
    }
    bar("chart-findings", data.findings_by_kind, "label", "findings", "违法认定数");
    bar("chart-divisions", data.findings_by_division, "name", "findings", "违法认定数");
  }

  function load() {
    var body = document.getElementById("dashboard-body");
    if (!body || !body.dataset.chartsUrl || body === drawnFor) { return; }
    drawnFor = body;
    fetch(body.dataset.chartsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(draw)
      .catch(function () {
        ["chart-categories", "chart-findings", "chart-divisions"].forEach(function (id) {
          empty(id, "图表加载失败，请参见下表");
        });
      });
  }

  document.addEventListener("DOMContentLoaded", load);
  // An outerHTML swap replaces the body: draw again for the new one.
  document.body.addEventListener("htmx:afterSettle", load);
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
