/* Editor: drag a step or a question to its new place, where scripts run. The Move up and Move
   down buttons stay, and are the keyboard's way; a drop sends the item's own move form (CSRF
   and the draft's revision included) with the place to go to, so a conflict is shown as for
   the buttons. */
(function () {
  "use strict";

  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  Array.prototype.forEach.call(document.querySelectorAll("ol[data-reorder]"), function (list) {
    var dragged = null;
    var items = Array.prototype.filter.call(list.children, function (child) {
      return child.tagName === "LI" && child.querySelector("form.moves");
    });
    if (items.length < 2) return;
    list.classList.add("draggable");
    items.forEach(function (item) {
      item.draggable = true;
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.id);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (dragged && dragged !== item) {
          event.preventDefault();
          event.dataTransfer.dropEffect = "move";
        }
      });
      item.addEventListener("drop", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        var form = dragged.querySelector("form.moves");
        hidden(form, "direction", "to");
        hidden(form, "position", String(items.indexOf(item)));
        form.submit();
      });
    });
  });
})();
