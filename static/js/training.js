// The people lists of the training forms (templates/training/_people_checkboxes.html).
//
// Without this file the lists render whole, grouped by township, and the server names anyone
// ticked who does not fit. With it: only the chosen audience's people are shown (a person's
// data-audiences lists the audiences the server says the person belongs to), a search box
// filters by name, and each township has 全选 / 全不选 for the people it shows. A person
// hidden by the audience is also disabled, so a tick left on them is not sent; a person
// hidden by the search keeps their tick (searching is only a way to find people).
(function () {
  "use strict";

  var tools = document.querySelector("[data-people-tools]");
  if (!tools) {
    return;
  }
  var search = tools.querySelector("[data-people-search]");
  var count = tools.querySelector("[data-people-count]");
  var audience = document.getElementById("id_audience");
  var none = document.querySelector("[data-people-none]");
  var people = Array.prototype.slice.call(document.querySelectorAll("[data-person]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-township-group]"));
  var kinds = Array.prototype.slice.call(document.querySelectorAll("[data-people-kind]"));

  function checkbox(person) {
    return person.querySelector("input[type=checkbox]");
  }

  function fitsAudience(person) {
    if (!audience || !audience.value) {
      return true;
    }
    return (person.getAttribute("data-audiences") || "").split(" ").indexOf(audience.value) !== -1;
  }

  function matches(person, words) {
    var name = (person.getAttribute("data-name") || "").toLowerCase();
    return words.every(function (word) { return name.indexOf(word) !== -1; });
  }

  function update() {
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    var ticked = 0;
    people.forEach(function (person) {
      var fits = fitsAudience(person);
      var box = checkbox(person);
      box.disabled = !fits;
      person.hidden = !fits || !matches(person, words);
      if (!person.hidden) {
        shown += 1;
      }
      if (fits && box.checked) {
        ticked += 1;
      }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("[data-person]:not([hidden])");
    });
    kinds.forEach(function (kind) {
      kind.hidden = !kind.querySelector("[data-township-group]:not([hidden])");
    });
    if (none) {
      none.hidden = shown > 0 || people.length === 0;
    }
    count.textContent = count.getAttribute("data-template")
      .replace("{shown}", shown).replace("{ticked}", ticked);
  }

  function setGroup(group, checked) {
    group.querySelectorAll("[data-person]:not([hidden]) input[type=checkbox]").forEach(function (box) {
      box.checked = checked;
    });
    update();
  }

  groups.forEach(function (group) {
    var all = group.querySelector("[data-select-all]");
    var noneButton = group.querySelector("[data-select-none]");
    all.addEventListener("click", function () { setGroup(group, true); });
    noneButton.addEventListener("click", function () { setGroup(group, false); });
    group.querySelector("[data-group-tools]").hidden = false;
  });
  people.forEach(function (person) {
    checkbox(person).addEventListener("change", update);
  });
  search.addEventListener("input", update);
  // Enter in the search box filters; it must not send the form.
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
    }
  });
  if (audience) {
    audience.addEventListener("change", update);
  }
  tools.hidden = people.length === 0;
  update();
})();
