// The series page's charts (chart.js served from node_modules, no CDN; data from a json_script block, so the
// Content Security Policy needs no inline script): the monthly series with the excluded spans shaded, and the
// seasonal view, one line per year over January–December, the latest year drawn over the others.
(function () {
  const source = document.getElementById("series-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  // Planea writes numbers the same in both its languages: 1,234.5 (core/numbers.py).
  const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  const tooltip = { callbacks: { label: (item) => `${item.dataset.label}: ${number.format(item.parsed.y)}` } };
  const yAxis = {
    beginAtZero: true,
    title: { display: Boolean(data.unit), text: data.unit },
    ticks: { callback: (value) => number.format(value) },
  };

  // Excluded spans: a shaded band behind the line (hatched grey for a level shift, amber for excluded months).
  const spans = {
    id: "excludedSpans",
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      for (const span of data.spans) {
        const left = scales.x.getPixelForValue(span.from) - 3;
        const right = scales.x.getPixelForValue(span.to) + 3;
        ctx.fillStyle = span.break ? "rgba(108, 117, 125, 0.22)" : "rgba(255, 193, 7, 0.25)";
        ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
      }
      ctx.restore();
    },
  };
  const seriesCanvas = document.getElementById("chart-series");
  if (seriesCanvas) {
    new window.Chart(seriesCanvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: data.texts.series,
            data: data.values,
            borderColor: "#0d6efd",
            backgroundColor: "#0d6efd",
            borderWidth: 2,
            pointRadius: data.values.length > 60 ? 0 : 2,
            spanGaps: false,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 12, autoSkip: true } }, y: yAxis },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: tooltip.callbacks.label,
              afterLabel: (item) =>
                data.spans
                  .filter((span) => item.dataIndex >= span.from && item.dataIndex <= span.to)
                  .map((span) => `${span.break ? data.texts.break : data.texts.excluded}: ${span.label}`),
            },
          },
        },
      },
      plugins: [spans],
    });
  }

  // Seasonal view: previous years in grey, lighter the older they are; the latest year thick and blue.
  const seasonalCanvas = document.getElementById("chart-seasonal");
  if (seasonalCanvas) {
    const years = data.years;
    const datasets = years.map((year, index) => {
      const latest = index === years.length - 1;
      const age = years.length - 1 - index;
      const colour = latest ? "#0d6efd" : index === years.length - 2 ? "#6f42c1" : `rgba(108, 117, 125, ${Math.max(0.25, 0.8 - age * 0.08)})`;
      return {
        label: String(year.year),
        data: year.values,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: latest ? 3.5 : index === years.length - 2 ? 2 : 1.2,
        pointRadius: year.excluded.map((excluded) => (excluded ? 4 : latest ? 3 : 0)),
        pointStyle: year.excluded.map((excluded) => (excluded ? "rectRot" : "circle")),
        pointBackgroundColor: year.excluded.map((excluded) => (excluded ? "#ffffff" : colour)),
        order: latest ? 0 : 1 + age,
      };
    });
    new window.Chart(seasonalCanvas, {
      type: "line",
      data: { labels: data.months, datasets },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "nearest", intersect: false },
        scales: { y: yAxis },
        plugins: {
          // The legend names the three latest years; the older ones are the grey lines behind them.
          legend: {
            position: "bottom",
            labels: { boxWidth: 12, font: { size: 11 }, filter: (item) => item.datasetIndex >= years.length - 3 },
          },
          tooltip,
        },
      },
    });
  }
})();
