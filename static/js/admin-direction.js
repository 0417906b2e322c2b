// Text typed in the admin runs in the direction of the language being written (home/forms.py
// marks a form's fields with data-content-dir). Fields added later, such as a new guide
// step, take the same direction; choosing another language in the form turns them all.
(function () {
  "use strict";

  var FIELDS = 'input[type="text"], input:not([type]), textarea';

  function formDirection(form) {
    var marked = form && form.querySelector("[data-content-dir]");
    return marked ? marked.getAttribute("data-content-dir") : "auto";
  }

  function give(root) {
    var scope = root.querySelectorAll ? root : document;
    var fields = [];
    if (scope.matches && scope.matches(FIELDS)) fields.push(scope);
    fields.push.apply(fields, scope.querySelectorAll(FIELDS));
    fields.forEach(function (field) {
      if (!field.hasAttribute("dir")) field.setAttribute("dir", formDirection(field.form));
    });
  }

  function turn(select) {
    var directions = JSON.parse(select.getAttribute("data-locale-directions"));
    var direction = directions[select.value] || "auto";
    select.form.querySelectorAll(FIELDS).forEach(function (field) {
      field.setAttribute("dir", direction);
      field.setAttribute("data-content-dir", direction);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    give(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) give(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
    document.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("select[data-locale-directions]")) {
        turn(event.target);
      }
    });
  });
})();
