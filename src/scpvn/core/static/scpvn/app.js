// Behaviour the templates ask for with data attributes, so that no page needs an inline
// script or an on…= handler (the Content-Security-Policy blocks both).
//   <select data-autosubmit>  submits its form when the choice changes.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});

// Wide tables scroll inside their own box instead of widening the page: every table not
// already inside a .table-responsive box gets one, on load and after each htmx swap.
function wrapWideTables(root) {
  root.querySelectorAll("table.table").forEach((table) => {
    if (table.parentElement.closest(".table-responsive")) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.replaceWith(box);
    box.appendChild(table);
  });
}
wrapWideTables(document);
document.addEventListener("htmx:afterSwap", (event) => wrapWideTables(event.target));
