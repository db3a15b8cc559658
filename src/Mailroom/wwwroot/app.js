// Copy buttons: <button data-copy="text">. Falls back to selecting the text when the
// clipboard is not available (plain http on another host, older browsers).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = button.getAttribute("data-copy");
  const label = button.querySelector("[data-copy-label]");
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
});

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
