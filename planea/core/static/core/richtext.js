// Rich text fields: a <textarea data-richtext> becomes a Quill editor; the textarea keeps the HTML that is posted
// (the server sanitizes it again). Without JavaScript the textarea still works.
document.querySelectorAll("textarea[data-richtext]").forEach((textarea) => {
  const holder = document.createElement("div");
  holder.className = "richtext-editor bg-body";
  textarea.after(holder);
  textarea.hidden = true;
  const quill = new Quill(holder, {
    theme: "snow",
    modules: {
      toolbar: [
        [{ header: [2, 3, false] }],
        ["bold", "italic", "underline"],
        [{ list: "ordered" }, { list: "bullet" }],
        [{ align: [] }],
        ["link", "clean"],
      ],
    },
  });
  quill.clipboard.dangerouslyPasteHTML(textarea.value);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label) {
    quill.root.setAttribute("aria-label", label.textContent.trim());
  }
  textarea.form.addEventListener("submit", () => {
    // Quill 2.0 writes every space as &nbsp; in its semantic HTML; plain spaces let the text wrap and compare.
    textarea.value = quill.getLength() > 1 ? quill.getSemanticHTML().replaceAll("&nbsp;", " ") : "";
  });
});
