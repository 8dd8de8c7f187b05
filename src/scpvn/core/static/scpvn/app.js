// Behaviour the templates ask for with data attributes, so that no page needs an inline
// script or an on…= handler (the Content-Security-Policy blocks both).
//   <select data-autosubmit>  submits its form when the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});
