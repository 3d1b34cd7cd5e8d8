// Drag a deal card onto another stage: POST the move with htmx and swap the board in.
(function () {
  function wire(root) {
    root.querySelectorAll(".board-card[draggable]").forEach(function (card) {
      if (card.dataset.wired) { return; }  // cards appended by "more" join the old ones
      card.dataset.wired = "1";
      card.addEventListener("dragstart", function (e) {
        e.dataTransfer.setData("text/plain", card.dataset.move);
        card.classList.add("dragging");
      });
      card.addEventListener("dragend", function () { card.classList.remove("dragging"); });
    });
    root.querySelectorAll(".board-col[data-stage]").forEach(function (col) {
      if (col.dataset.wired) { return; }
      col.dataset.wired = "1";
      col.addEventListener("dragover", function (e) { e.preventDefault(); col.classList.add("drop"); });
      col.addEventListener("dragleave", function () { col.classList.remove("drop"); });
      col.addEventListener("drop", function (e) {
        e.preventDefault();
        col.classList.remove("drop");
        var url = e.dataTransfer.getData("text/plain");
        if (url) {
          htmx.ajax("POST", url, { target: "#board", values: { stage: col.dataset.stage } });
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function () { wire(document); });
})();
