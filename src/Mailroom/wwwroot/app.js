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

/* ---- people ---- */
// Sign-in and setup send the browser's time zone, so a new member's times start in their own
// zone. Filled at submit rather than at load, so it also works after an enhanced navigation.
document.addEventListener("submit", (event) => {
  const field = event.target instanceof HTMLFormElement && event.target.querySelector("input[data-browser-zone]");
  if (!field || field.value) return;
  try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch { /* the server keeps UTC */ }
}, true);
