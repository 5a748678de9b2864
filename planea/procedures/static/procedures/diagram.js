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
      const current = list("current");
      list("completed")
        .filter((id) => !current.includes(id))
        .forEach((id) => registry.get(id) && canvas.addMarker(id, "paso-completado"));
      current.forEach((id) => registry.get(id) && canvas.addMarker(id, "paso-actual"));
      // Wide procedures are unreadable when fitted whole: show the current step (or the last one done) at a
      // readable zoom; the person can still pan and zoom.
      const focus = current[0] || list("completed").slice(-1)[0];
      if (focus && registry.get(focus)) {
        canvas.zoom(0.85);
        canvas.scrollToElement(registry.get(focus), { top: 40, bottom: 40, left: 200, right: 200 });
      } else {
        canvas.zoom("fit-viewport");
      }
      container.dataset.ready = "1";
    })
    .catch((error) => {
      container.textContent = "No se pudo mostrar el diagrama: " + error.message;
    });
})();
