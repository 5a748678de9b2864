// The goal grid behaves like a spreadsheet: arrow keys and Enter move between cells, a block copied from Excel is
// pasted across cells, and row, cuatrimestre, column and grand totals follow every keystroke. The subproduct picker
// and the save form swap the table in place (HTMX, operations/grid.html#grid-table); changes not saved are guarded
// when the page is left and when another subproduct is picked.
(() => {
  if (window.planeaGoalGrid) return; // a page restored from history runs this file again
  window.planeaGoalGrid = true;
  let dirty = false;
  let refused = false; // the table about to be set up is a refused save's: its cells still hold what was not saved

  const setup = (table) => {
    // Numbers are shown grouped by thousands with the language's separator (12,500), as the server shows them; a
    // cell is ungrouped while it is typed in and grouped again when it is left. The server reads both.
    const separator = table.dataset.separator || ",";
    const number = { format: (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator) };
    const rows = [...table.querySelectorAll("tbody tr[data-row]")];
    const grid = rows.map((tr) => [...tr.querySelectorAll("input[name^='c-']")]);
    const withQuarters = table.dataset.quarters === "1";
    const form = table.closest("form");
    const note = form && form.querySelector("[data-dirty-note]");
    dirty = refused;
    refused = false;

    // The largest goal the column holds (the server's bound): a larger one is marked as the server would refuse it.
    const maximum = Number(table.dataset.max || Number.MAX_SAFE_INTEGER);
    const parse = (text) => {
      const cleaned = String(text).replace(/[\s,]/g, "").split(separator).join("");
      if (cleaned === "") return 0;
      return /^\d+$/.test(cleaned) && Number(cleaned) <= maximum ? Number(cleaned) : NaN;
    };

    const recompute = () => {
      const columns = grid.length ? grid[0].map(() => 0) : [];
      const quarterTotals = [0, 0, 0];
      let grand = 0;
      grid.forEach((cells, r) => {
        let rowTotal = 0;
        const quarters = [0, 0, 0];
        cells.forEach((input, c) => {
          const value = parse(input.value);
          const ok = !Number.isNaN(value);
          input.classList.toggle("is-invalid", !ok);
          input.classList.toggle("changed", ok && value !== Number(input.dataset.seen));
          if (!ok) return;
          rowTotal += value;
          columns[c] += value;
          quarters[Math.floor(c / 4)] += value;
        });
        grand += rowTotal;
        rows[r].querySelector("[data-row-total]").textContent = number.format(rowTotal);
        if (withQuarters) {
          rows[r].querySelectorAll("[data-quarter]").forEach((td, q) => {
            td.textContent = number.format(quarters[q]);
            quarterTotals[q] += quarters[q];
          });
        }
      });
      table.querySelectorAll("[data-col-total]").forEach((td, c) => (td.textContent = number.format(columns[c] || 0)));
      table
        .querySelectorAll("[data-quarter-total]")
        .forEach((td, q) => (td.textContent = number.format(quarterTotals[q])));
      const grandCell = table.querySelector("[data-grand-total]");
      if (grandCell) grandCell.textContent = number.format(grand);
    };

    const position = (input) => {
      for (let r = 0; r < grid.length; r += 1) {
        const c = grid[r].indexOf(input);
        if (c >= 0) return [r, c];
      }
      return null;
    };

    const focusCell = (r, c) => {
      const target = grid[r] && grid[r][c];
      if (target && !target.readOnly) {
        target.focus();
        target.select();
      }
    };

    const markDirty = () => {
      dirty = true;
      if (note) note.hidden = false;
    };

    table.addEventListener("keydown", (event) => {
      const input = event.target;
      const at = input instanceof HTMLInputElement && position(input);
      if (!at) return;
      const [r, c] = at;
      const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
      const atEnd = input.selectionStart === input.value.length;
      const whole = input.selectionStart === 0 && input.selectionEnd === input.value.length;
      let next = null;
      if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) next = [r + 1, c];
      else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) next = [r - 1, c];
      else if (event.key === "ArrowLeft" && (atStart || whole)) next = [r, c - 1];
      else if (event.key === "ArrowRight" && (atEnd || whole)) next = [r, c + 1];
      if (next) {
        event.preventDefault();
        focusCell(...next);
      }
    });

    const group = (input) => {
      const value = parse(input.value);
      if (!Number.isNaN(value) && input.value.trim() !== "") input.value = number.format(value);
    };

    table.addEventListener("focusin", (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || !position(input)) return;
      const value = parse(input.value);
      if (!input.readOnly && input.value.trim() !== "" && !Number.isNaN(value)) input.value = String(value);
      input.select();
    });

    table.addEventListener("focusout", (event) => {
      if (event.target instanceof HTMLInputElement && position(event.target)) group(event.target);
    });

    table.addEventListener("input", () => {
      markDirty();
      recompute();
    });

    table.addEventListener("paste", (event) => {
      const input = event.target;
      const at = input instanceof HTMLInputElement && position(input);
      const text = event.clipboardData && event.clipboardData.getData("text/plain");
      if (!at || !text || !/[\t\n]/.test(text.trim())) return;
      event.preventDefault();
      const lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
      lines.forEach((line, i) => {
        line.split("\t").forEach((value, j) => {
          const cell = grid[at[0] + i] && grid[at[0] + i][at[1] + j];
          if (cell && !cell.readOnly) {
            cell.value = value.trim();
            if (cell !== document.activeElement) group(cell);
          }
        });
      });
      markDirty();
      recompute();
    });

    recompute();
  };

  // Each table once: the one of the page, then each one an HTMX swap (or a return through history) brings.
  const setupNew = () => {
    document.querySelectorAll("[data-goal-grid]:not([data-ready])").forEach((table) => {
      table.dataset.ready = "1";
      setup(table);
    });
  };
  setupNew();
  ["htmx:afterSettle", "htmx:historyRestore"].forEach((name) => document.addEventListener(name, setupNew));

  // Another subproduct picked with changes not saved: asked first; kept, the picker shows the subproduct on screen.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const picker = event.detail.elt;
    if (!(picker instanceof HTMLFormElement) || !picker.hasAttribute("data-grid-picker") || !dirty) return;
    const holder = document.querySelector("[data-dirty-question]");
    if (window.confirm(holder ? holder.dataset.dirtyQuestion : "")) {
      dirty = false;
      return;
    }
    event.preventDefault();
    const select = picker.querySelector("select");
    const shown = document.querySelector('#grid-table input[name="subproducto"]');
    if (select && shown) select.value = shown.value;
  });
  // A refused save (400: cells to correct; 409: a conflict) answers the table to show, as a saved one does.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr, target } = event.detail;
    if (target.id === "grid-table" && [400, 409].includes(xhr.status) && /id="grid-table"/.test(xhr.response)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      refused = true;
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
})();
