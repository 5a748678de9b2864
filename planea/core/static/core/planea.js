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
// A refusal shown far down a page (an upload's problems, a field of a form refused) is brought into view, on a page
// loaded and in a part of a page answered in place; the field it is about is focused (the refusal itself when it is
// about the whole form), so that the person sees why nothing changed and can correct it.
const showRefusal = (within) => {
  const refusal = within.querySelector("[data-scroll-into-view]");
  if (!refusal) return;
  const field = refusal.id ? document.querySelector(`[aria-describedby~="${refusal.id}"]`) : null;
  if (!field) refusal.setAttribute("tabindex", "-1");
  refusal.scrollIntoView({ block: "center" });
  (field || refusal).focus({ preventScroll: true });
};
window.addEventListener("load", () => showRefusal(document));
const fieldsOf = (element) => element.querySelectorAll("textarea, select, input[name]:not([type=hidden]):not([type=file])");
// A form refused (400, marked by the server) answers the part of the page to show again, with what was typed and
// the errors next to the fields: it is swapped in like an answer that succeeded.
document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr } = event.detail;
  if (xhr && xhr.status === 400 && xhr.getResponseHeader("Planea-Refused-Form")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.addEventListener("htmx:afterSettle", (event) => {
  if (!event.detail.xhr || !event.detail.xhr.getResponseHeader("Planea-Refused-Form")) return;
  // what the refused form shows again was typed by the person, though the server wrote it: it is theirs to keep
  // when another form of the part is sent (see the carry-over below)
  for (const form of document.querySelectorAll("form:has(.is-invalid, [data-scroll-into-view])")) {
    for (const field of fieldsOf(form)) field.dataset.typed = "1";
  }
  showRefusal(document);
});
// A notice about the page as it was loaded (the step just completed, say) is out of date once HTMX answers a part
// of the page in place; a full load, which is what happens without JavaScript, drops it the same way.
document.addEventListener("htmx:afterSwap", () => {
  for (const notice of document.querySelectorAll("[data-until-swap]")) {
    notice.remove();
  }
});
// A part of the page updated in place that the server refused (403: a session that changed in another tab, or no
// permission; 5xx) is not swapped: the person is told so above that part, and what they typed stays on the page.
const requestFailed = (event) => {
  const target = event.detail.target;
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  if (!(target instanceof Element)) return;
  document.querySelectorAll("[data-request-failed-notice]").forEach((old) => old.remove());
  const notice = document.createElement("div");
  notice.className = "alert alert-danger";
  notice.setAttribute("role", "alert");
  notice.dataset.requestFailedNotice = "1";
  notice.textContent = (document.body.dataset.requestFailed || "").replace("%(status)s", String(status || "—"));
  target.before(notice);
  notice.scrollIntoView({ block: "center" });
};
document.addEventListener("htmx:responseError", requestFailed);
document.addEventListener("htmx:sendError", requestFailed);
// The language menu returns to the address on screen, which an in-place update may have changed since the page
// loaded (another subproduct of the goal grid, say).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const next = form instanceof HTMLFormElement && form.hasAttribute("data-language") && form.elements.namedItem("next");
  if (next instanceof HTMLInputElement) next.value = window.location.pathname + window.location.search;
});
// The menu hidden or shown with the button left of the brand; the choice is kept in a cookie that the server reads
// (core/frame.py), so that the next page opens as the person left it, without a flash.
const menuToggle = document.querySelector("[data-menu-toggle]");
const menu = document.getElementById("menu-principal");
if (menuToggle && menu) {
  const showState = () => {
    const shown = getComputedStyle(menu).display !== "none";
    const label = shown ? menuToggle.dataset.hide : menuToggle.dataset.show;
    menuToggle.setAttribute("aria-expanded", String(shown));
    menuToggle.title = label;
    menuToggle.querySelector(".visually-hidden").textContent = label;
  };
  menuToggle.addEventListener("click", () => {
    const hide = getComputedStyle(menu).display !== "none";
    const state = hide ? "collapsed" : "open";
    document.body.classList.remove("menu-collapsed", "menu-open");
    document.body.classList.add(`menu-${state}`);
    document.cookie = `planea_menu=${state}; path=/; max-age=31536000; SameSite=Lax`;
    showState();
  });
  showState();
  window.addEventListener("resize", showState);
}
// A part of the page answered in place (a step's panel after an oficio is issued or a file attached) is drawn anew:
// what the person had typed in its other forms (the step's comment, a decision chosen) is carried over to the same
// fields of the new part, so that one form sent never clears another. Only parts marked `data-keep-typed` (a goal
// grid answered for another subproduct has fields of the same names that mean other cells).
const typedBeforeSwap = new Map();
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (!(target instanceof Element) || !target.id || !target.hasAttribute("data-keep-typed")) return;
  if (!event.detail.shouldSwap) return;
  const sent = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
  const sentForm = sent instanceof Element ? sent.closest("form") : null;
  const typed = [];
  for (const field of fieldsOf(target)) {
    if (!field.name || (sentForm && sentForm.contains(field))) continue;
    if (field.type === "radio" || field.type === "checkbox") {
      if (field.checked !== field.defaultChecked) typed.push({ name: field.name, value: field.value, checked: field.checked });
    } else if (field instanceof HTMLSelectElement) {
      if ([...field.options].some((o) => o.selected !== o.defaultSelected)) typed.push({ name: field.name, value: field.value });
    } else if (field.value !== field.defaultValue || (field.dataset.typed && field.value)) {
      typed.push({ name: field.name, value: field.value });
    }
  }
  if (typed.length) typedBeforeSwap.set(target.id, typed);
});
document.addEventListener("htmx:afterSwap", () => {
  for (const [id, typed] of typedBeforeSwap) {
    const part = document.getElementById(id);
    if (part) {
      for (const { name, value, checked } of typed) {
        for (const field of part.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
          if (checked !== undefined) {
            if (field.value === value) field.checked = checked;
          } else if (field.value === (field.defaultValue ?? field.value)) {
            field.value = value;
            field.dataset.typed = "1";
            const section = field.closest("details");
            if (section) section.open = true; // a draft carried over is shown, not folded away
          }
        }
      }
    }
  }
  typedBeforeSwap.clear();
});
