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

// <input data-suggest="/api/enterprises/"> (a tax code box, core/choosers.py): as the
// user types, the enterprises whose name or tax code matches (the API's ?q=, in the user's
// scope) are offered in a <datalist>; choosing one fills in its tax code.
document.querySelectorAll("input[data-suggest]").forEach((input) => {
  const list = document.createElement("datalist");
  list.id = `${input.id || input.name}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const typed = input.value.trim();
    if (typed.length < 2) return;
    timer = setTimeout(async () => {
      const url = `${input.dataset.suggest}?q=${encodeURIComponent(typed)}`;
      const answer = await fetch(url, { headers: { Accept: "application/json" } });
      if (!answer.ok) return;
      const page = await answer.json();
      list.replaceChildren(
        ...page.results.slice(0, 20).map((enterprise) => {
          const option = document.createElement("option");
          option.value = enterprise.tax_code;
          option.label = enterprise.name;
          return option;
        }),
      );
    }, 250);
  });
});
