// The chart of a series' forecast: the monthly history, then the reconciled forecast of the target year with its
// 80 % and 95 % bands. The data comes from the page (json_script "forecast-data"), the legend's words from
// #forecast-labels (translated by the server); no inline script (CSP).
(() => {
  const canvas = document.getElementById("forecast-chart");
  const source = document.getElementById("forecast-data");
  if (!canvas || !source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const words = document.getElementById("forecast-labels").dataset;
  const band = (lo, hi, label, alpha) => [
    { label: label, data: hi, borderWidth: 0, pointRadius: 0, fill: false, backgroundColor: `rgba(13,110,253,${alpha})` },
    { label: `${label} (min)`, data: lo, borderWidth: 0, pointRadius: 0, fill: "-1", backgroundColor: `rgba(13,110,253,${alpha})` },
  ];
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        ...band(data.lo95, data.hi95, words.band95, 0.12),
        ...band(data.lo80, data.hi80, words.band80, 0.22),
        { label: words.history, data: data.history, borderColor: "#6c757d", pointRadius: 0, borderWidth: 1.5 },
        { label: words.base, data: data.base, borderColor: "#adb5bd", borderDash: [4, 3], pointRadius: 0, borderWidth: 1 },
        { label: words.forecast, data: data.yhat, borderColor: "#0d6efd", pointRadius: 2, borderWidth: 2 },
      ],
    },
    options: {
      animation: false,
      aspectRatio: 2.6,
      interaction: { mode: "index", intersect: false },
      spanGaps: false,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { labels: { filter: (item) => !item.text.endsWith("(min)") } } },
    },
  });
})();
