// Copy buttons: <button data-copy="text">. Falls back to selecting the text when the
// clipboard is not available (plain http on another host, older browsers).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = button.getAttribute("data-copy");
  const label = button.querySelector("[data-copy-label]");
  const status = button.parentElement && button.parentElement.querySelector("[data-copy-status]");
  let copied = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      copied = true;
    }
  } catch { /* fall through to selection */ }
  if (!copied) {
    const source = button.parentElement && button.parentElement.querySelector("[data-copy-source]");
    if (source) {
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { copied = document.execCommand("copy"); } catch { copied = false; }
    }
  }
  if (label) {
    const original = label.dataset.original || label.textContent;
    label.dataset.original = original;
    label.textContent = copied ? "Copied" : "Press Ctrl+C";
    button.classList.toggle("is-copied", copied);
    setTimeout(() => { label.textContent = original; button.classList.remove("is-copied"); }, 2000);
  }
  // The live region announces the outcome; it is emptied later so the same message is announced again next time.
  if (status) {
    status.textContent = copied ? "Copied to the clipboard" : "Selected: press Ctrl+C to copy";
    setTimeout(() => { status.textContent = ""; }, 4000);
  }
});

// Navigation on narrow screens: the menu button (layout's topbar) opens the sidebar over the page.
// Without this script the CSS shows a link to the sidebar instead, which sits below the content.
(() => {
  const toggle = () => document.querySelector("[data-nav-toggle]");
  const setOpen = (open) => {
    const button = toggle();
    const sidebar = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!sidebar) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    sidebar.classList.toggle("is-open", open);
  };
  const isOpen = () => toggle()?.getAttribute("aria-expanded") === "true";
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-nav-toggle]")) {
      setOpen(!isOpen());
    } else if (isOpen() && !event.target.closest("#sidebar")) {
      setOpen(false);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      setOpen(false);
      toggle().focus();
    }
  });
})();

// A table box that scrolls sideways must be reachable by keyboard (to scroll it with the arrow keys)
// even when its rows hold no link or button: such a box becomes a focusable, named region, for as
// long as it overflows.
(() => {
  const mark = () => {
    for (const box of document.querySelectorAll(".table-wrap, .table-scroll")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        const table = box.querySelector("table");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", ((table && table.getAttribute("aria-label")) || "Table") + " (scrolls sideways)");
        box.dataset.scrollMarked = "";
      } else if (!scrolls && "scrollMarked" in box.dataset) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollMarked;
      }
    }
  };
  let pending = 0;
  const later = () => { cancelAnimationFrame(pending); pending = requestAnimationFrame(mark); };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
  window.addEventListener("resize", later);
  // Blazor's enhanced navigation swaps the page without a new DOMContentLoaded.
  window.addEventListener("load", () => window.Blazor?.addEventListener?.("enhancedload", mark));
})();

/* ---- people ---- */
// Sign-in and setup send the browser's time zone, so a new member's times start in their own
// zone. Filled at submit rather than at load, so it also works after an enhanced navigation.
document.addEventListener("submit", (event) => {
  const field = event.target instanceof HTMLFormElement && event.target.querySelector("input[data-browser-zone]");
  if (!field || field.value) return;
  try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch { /* the server keeps UTC */ }
}, true);

/* ---- forms ---- */
// After a failed post the page comes back with the errors: focus the first invalid control, or
// else the error summary, so a keyboard or screen-reader user lands on what to fix.
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector('[aria-invalid="true"]');
  const target = invalid || document.querySelector(".alert-error[tabindex]");
  if (!target) return;
  const details = target.closest("details");
  if (details) details.open = true;
  target.focus();
});
// blazor.web.js runs the interactive islands only: links and forms stay plain page loads, as
// without it (enhanced navigation would patch pages in place and skip the handler above).
if (window.Blazor) {
  Blazor.start({ ssr: { disableDomPreservation: true } });
}

/* ---- composer: the task's Email tab (issue 11) ---- */
// Files are attached with the form's Attachments field; a file dropped or pasted into the
// editor would only live in the browser, so the editor refuses it.
document.addEventListener("trix-file-accept", (event) => event.preventDefault());
