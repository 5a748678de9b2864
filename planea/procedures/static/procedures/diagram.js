// The procedure diagram: bpmn-js navigated viewer (served from node_modules, no CDN), with the current steps and
// the completed steps marked by CSS classes (no inline styles, so the Content Security Policy stays strict).
(function () {
  const container = document.getElementById("diagrama");
  if (!container || typeof window.BpmnJS === "undefined") {
    return;
  }
  const list = (name) => (container.dataset[name] || "").split(",").filter(Boolean);
  const viewer = new window.BpmnJS({ container });
  fetch(container.dataset.xmlUrl, { credentials: "same-origin" })
    .then((response) => response.text())
    .then((xml) => viewer.importXML(xml))
    .then(() => {
      container.querySelector(".bpmn-fallback")?.remove();
      const canvas = viewer.get("canvas");
      const registry = viewer.get("elementRegistry");
      list("completed").forEach((id) => registry.get(id) && canvas.addMarker(id, "paso-completado"));
      list("current").forEach((id) => registry.get(id) && canvas.addMarker(id, "paso-actual"));
      canvas.zoom("fit-viewport");
      container.dataset.ready = "1";
    })
    .catch((error) => {
      container.textContent = "No se pudo mostrar el diagrama: " + error.message;
    });
})();
