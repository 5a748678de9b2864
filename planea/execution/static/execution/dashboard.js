// The dashboard's monthly chart (chart.js served from node_modules, no CDN; data from a json_script block, so the
// Content Security Policy needs no inline script): programmed and current goals as lines, executed as bars.
(function () {
  const source = document.getElementById("months-data");
  const canvas = document.getElementById("chart-months");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  // Planea writes numbers the same in both its languages: 1,234 (core/numbers.py).
  const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  new window.Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: data.names.executed, data: data.executed, backgroundColor: "#1d3f72" },
        { type: "line", label: data.names.current, data: data.current, borderColor: "#b04a00", borderDash: [6, 4], pointStyle: "triangle" },
        { type: "line", label: data.names.planned, data: data.planned, borderColor: "#6c757d", pointStyle: "rect" },
      ],
    },
    options: {
      maintainAspectRatio: false,
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${number.format(item.parsed.y)}` } } },
      scales: { y: { beginAtZero: true, ticks: { callback: (value) => number.format(value) } } },
    },
  });
})();
