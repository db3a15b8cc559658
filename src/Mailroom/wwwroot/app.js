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
