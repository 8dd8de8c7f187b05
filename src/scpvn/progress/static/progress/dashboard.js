// Dashboard charts from the figures the server computed (no data fetched here).
(function () {
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const taskCanvas = document.getElementById("task-chart");
  new Chart(taskCanvas, {
    type: "bar",
    data: {
      labels: data.tasks,
      datasets: [
        { label: taskCanvas.dataset.progress || "%", data: data.percent, backgroundColor: "#198754" },
        { label: taskCanvas.dataset.elapsed || "⏱ %", data: data.elapsed, backgroundColor: "#adb5bd" },
      ],
    },
    options: { scales: { y: { min: 0, max: 100 } }, animation: false },
  });
  new Chart(document.getElementById("status-chart"), {
    type: "doughnut",
    data: {
      labels: data.statusLabels,
      datasets: [{ data: data.statusCounts, backgroundColor: ["#6c757d", "#0d6efd", "#ffc107", "#dc3545", "#198754"] }],
    },
    options: { plugins: { legend: { position: "right" } }, animation: false },
  });
})();
