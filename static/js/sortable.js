// Sortable tables, a progressive enhancement: each column heading of a table marked
// data-sortable becomes a button; pressing it sorts the rows by that column (numbers by
// value, names in the page's language), pressing again reverses. Without JavaScript the
// table keeps the order the server chose. A cell's data-sort, when present, is what sorts.
const collator = new Intl.Collator(document.documentElement.lang || undefined, {numeric: true, sensitivity: "base"});

function cellValue(row, index) {
  const cell = row.cells[index];
  if (!cell) return "";
  return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
}

function sortBy(table, th, index) {
  const descending = th.getAttribute("aria-sort") === "ascending";
  for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  for (const body of table.tBodies) {
    const rows = Array.from(body.rows);
    rows.sort((a, b) => collator.compare(cellValue(a, index), cellValue(b, index)) * (descending ? -1 : 1));
    body.append(...rows);
  }
}

export function makeSortable(table) {
  if (!table.tHead || !table.tHead.rows.length) return;
  Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
    if (th.hasAttribute("data-nosort")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => sortBy(table, th, index));
  });
  table.classList.add("is-sortable");
}

document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
