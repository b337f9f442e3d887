// A submit button with data-confirm asks before its form is sent (no inline handlers:
// the Content-Security-Policy runs only script files).
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
