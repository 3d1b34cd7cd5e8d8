// Small behaviours that need no library: keep the active tab in step with htmx swaps.
document.addEventListener("click", (event) => {
  const tab = event.target.closest(".tabs a");
  if (!tab) return;
  tab.parentElement.querySelectorAll("a").forEach((a) => a.classList.toggle("active", a === tab));
});

// The staff menu's groups are <details> and work without this script; it keeps one group
// open at a time, and closes it on a click elsewhere or on Escape (focus back on it).
document.addEventListener(
  "toggle",
  (event) => {
    const opened = event.target;
    if (!opened.matches || !opened.matches("details.navgroup") || !opened.open) return;
    document.querySelectorAll("details.navgroup[open]").forEach((d) => {
      if (d !== opened) d.open = false;
    });
  },
  true, // toggle does not bubble
);
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.navgroup[open]").forEach((d) => {
    if (!d.contains(event.target)) d.open = false;
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector("details.navgroup[open]");
  if (!open) return;
  open.open = false;
  open.querySelector("summary").focus();
});
