// The account form's "use <platform>" button, offered when the URL belongs to another platform
// than the one chosen (the "other_platform" error, atlas_pages/editorial/forms.py): it chooses
// that platform in the platform chooser (its hidden input and its title, as Wagtail's chooser
// shows a choice) and clears the error; the editor then saves or submits again.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-switch-platform]");
  if (!button || !button.form) return;
  const input = button.form.elements.namedItem("platform");
  if (!input) return;
  input.value = button.dataset.switchPlatform;
  const chooser = document.getElementById(`${input.id}-chooser`);
  if (chooser) {
    chooser.classList.remove("blank");
    const title = chooser.querySelector("[data-chooser-title]");
    if (title) title.textContent = button.dataset.platformName;
  }
  input.dispatchEvent(new Event("change", { bubbles: true }));
  button.closest(".w-field")?.classList.remove("w-field--error");
  const errors = button.closest("[data-field-errors]");
  if (errors) errors.replaceChildren();
  else button.remove();
});
