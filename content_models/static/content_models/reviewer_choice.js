// The article form's reviewer list follows the topics ticked: the reviewers whose
// specialties cover them are suggested first, before the article is saved.
(function () {
  "use strict";

  function option(item, selected) {
    var element = document.createElement("option");
    element.value = item.value;
    element.textContent = item.label;
    element.selected = String(item.value) === selected;
    return element;
  }

  function rebuild(select, choices) {
    var selected = select.value;
    var items = [];
    choices.forEach(function (choice) {
      if (choice.group === undefined) {
        items.push(option(choice, selected));
        return;
      }
      var group = document.createElement("optgroup");
      group.label = choice.group;
      choice.options.forEach(function (item) {
        group.appendChild(option(item, selected));
      });
      items.push(group);
    });
    select.replaceChildren.apply(select, items);
  }

  document.addEventListener("change", function (event) {
    if (!event.target || event.target.name !== "topics") {
      return;
    }
    var select = document.querySelector("select[data-choices-url]");
    if (!select) {
      return;
    }
    var query = new URLSearchParams();
    document.querySelectorAll("input[name='topics']:checked").forEach(function (box) {
      query.append("topic", box.value);
    });
    fetch(select.dataset.choicesUrl + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (data) {
        rebuild(select, data.choices);
      })
      .catch(function () {
        // The list stays as it was; saving the draft lists it for the topics saved.
      });
  });
})();
