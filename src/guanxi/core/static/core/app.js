// Small behaviours that need no library: keep the active tab in step with htmx swaps.
document.addEventListener("click", (event) => {
  const tab = event.target.closest(".tabs a");
  if (!tab) return;
  tab.parentElement.querySelectorAll("a").forEach((a) => a.classList.toggle("active", a === tab));
});
