// Planea's own small behaviours; no inline scripts so that the Content Security Policy stays strict.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit")) {
    el.form.requestSubmit(); // a submit event: an HTMX form (hx-get) sends it itself
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// A refusal shown far down a page (an upload's problems, say) is brought into view and focused, so that the person
// sees why nothing changed; without JavaScript the form's #anchor does the same.
window.addEventListener("load", () => {
  const refusal = document.querySelector("[data-scroll-into-view]");
  if (refusal) {
    refusal.setAttribute("tabindex", "-1");
    refusal.scrollIntoView({ block: "center" });
    refusal.focus({ preventScroll: true });
  }
});
// A notice about the page as it was loaded (the step just completed, say) is out of date once HTMX answers a part
// of the page in place; a full load, which is what happens without JavaScript, drops it the same way.
document.addEventListener("htmx:afterSwap", () => {
  for (const notice of document.querySelectorAll("[data-until-swap]")) {
    notice.remove();
  }
});
