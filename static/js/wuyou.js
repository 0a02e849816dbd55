/* Page behaviour declared with data attributes, so that no template needs inline handlers (the
   Content-Security-Policy allows scripts from files only). Listeners sit on the document, so content
   that htmx swaps in later behaves the same way.

   <form data-confirm="确定删除？">          asks before submitting; cancelling keeps the page
   <select data-autosubmit>                 submits its form when the choice changes
   <button type="button" data-print>        prints the page
   <a href="#" data-history-back>           goes back one page (a cancel link with no better target)
   <input data-entry="number" …>            shows the parsed value beside the field as it is typed (「= 50,000人」)
   <input data-entry="date" …>              the same for a date, and a calendar button that fills the field
   <form method="get"> selects              show what the server selected, not the browser's remembered choice

   The entry fields are offices/fields.py; the parsing below mirrors its parse_number and parse_date for the
   preview only: the server parses again and is the truth.
*/
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) {
      select.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    if (event.target.closest("[data-history-back]")) {
      event.preventDefault();
      window.history.back();
    }
  });

  /* ---- Entry fields: numbers with 万, separators and full-width digits; Chinese dates ---- */

  var MULTIPLIERS = { "万": 4, "亿": 8 };  // powers of ten
  var NUMBER = /^([-+]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;
  var MAX_NUMBER_LENGTH = 40;

  function normalize(text) {
    return String(text).normalize("NFKC").replace(/\u2212/g, "-").replace(/\s+/g, "");
  }

  // {negative, whole, fraction} as digit strings (exact, no floating point), or null.
  function parseNumber(text, units, wan) {
    var t = normalize(text);
    var sorted = units.map(normalize).sort(function (a, b) { return b.length - a.length; });
    for (var i = 0; i < sorted.length; i++) {
      if (sorted[i] && t.slice(-sorted[i].length) === sorted[i]) {
        t = t.slice(0, -sorted[i].length);
        break;
      }
    }
    var shift = 0;
    if (wan && MULTIPLIERS.hasOwnProperty(t.slice(-1))) {
      shift = MULTIPLIERS[t.slice(-1)];
      t = t.slice(0, -1);
    }
    var match = t.length <= MAX_NUMBER_LENGTH ? NUMBER.exec(t) : null;
    if (!match || !(match[2] || match[3])) {
      return null;
    }
    var whole = match[2].replace(/,/g, "");
    var fraction = match[3] || "";
    while (fraction.length < shift) { fraction += "0"; }
    whole = (whole + fraction.slice(0, shift)).replace(/^0+(?=\d)/, "") || "0";
    fraction = fraction.slice(shift).replace(/0+$/, "");
    var zero = /^0*$/.test(whole) && fraction === "";
    return { negative: match[1] === "-" && !zero, whole: whole, fraction: fraction };
  }

  function parseDate(text) {
    var t = normalize(text);
    var match = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/.exec(t) ||
      /^(\d{4})([-./])(\d{1,2})\2(\d{1,2})$/.exec(t) || /^(\d{4})(\d{2})(\d{2})$/.exec(t);
    if (!match) {
      return null;
    }
    var parts = match.length === 5 ? [match[1], match[3], match[4]] : [match[1], match[2], match[3]];
    var y = +parts[0], m = +parts[1], d = +parts[2];
    var day = new Date(Date.UTC(2000, m - 1, d));
    day.setUTCFullYear(y);
    if (y < 1 || day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) {
      return null;
    }
    return String(y).padStart(4, "0") + "-" + String(m).padStart(2, "0") + "-" + String(d).padStart(2, "0");
  }

  // {text: "= 50,000人"} or {error: the server's message for that refusal}, from the field's data attributes.
  function numberPreview(input) {
    var data = input.dataset;
    var parsed = parseNumber(input.value, data.units ? data.units.split("|") : [], data.wan === "1");
    if (!parsed || (data.integer === "1" && parsed.fraction)) {
      return { error: data.invalid };
    }
    var places = data.places === undefined ? null : +data.places;
    if (places !== null && parsed.fraction.length > places) {
      return { error: data.invalidPlaces || data.invalid };
    }
    var value = Number((parsed.negative ? "-" : "") + parsed.whole + "." + (parsed.fraction || "0"));
    if ((data.gt !== undefined && !(value > Number(data.gt))) || (data.min !== undefined && value < Number(data.min))) {
      return { error: data.invalid };
    }
    if (data.max !== undefined && value > Number(data.max)) {
      return { error: data.invalidMax || data.invalid };
    }
    var fraction = parsed.fraction;
    if (places !== null) {
      while (fraction.length < places) { fraction += "0"; }
    }
    var whole = data.grouping === "0" ? parsed.whole : parsed.whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return { text: "= " + (parsed.negative ? "-" : "") + whole + (fraction ? "." + fraction : "") + (data.unit || "") };
  }

  function datePreview(input) {
    var iso = parseDate(input.value);
    return iso ? { text: "= " + iso } : { error: input.dataset.invalid };
  }

  // The preview says what will be saved; it says nothing when that is what the field already shows
  // (「2026」 in a year), and it repeats no refusal the server has just shown under the field: a refusal
  // appears only once the user edits the field.
  function updatePreview(input, edited) {
    var preview = document.getElementById(input.id + "-preview");
    if (!preview) {
      return;
    }
    var typed = input.value.trim();
    var result = typed === "" ? { text: "" } : (input.dataset.entry === "date" ? datePreview(input) : numberPreview(input));
    var refused = result.error !== undefined;
    var text = refused ? (edited ? result.error || "" : "") : result.text;
    if (text === "= " + typed) {
      text = "";
    }
    preview.textContent = text;
    preview.classList.toggle("entry-preview-invalid", refused);
    preview.hidden = text === "";
  }

  function addDatePicker(input) {
    var group = document.createElement("div");
    group.className = "input-group date-entry";
    // Crispy's error sits after the input: mark the group so that Bootstrap still shows it.
    if (input.classList.contains("is-invalid")) {
      group.classList.add("is-invalid");
    }
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary date-entry-button";
    button.setAttribute("aria-label", input.dataset.pickerLabel || "");
    button.title = input.dataset.pickerLabel || "";
    button.disabled = input.disabled || input.readOnly;
    var icon = document.createElement("i");
    icon.className = "bi bi-calendar3";
    button.appendChild(icon);
    // The browser's own calendar, opened from the button; what it picks is written into the text field.
    // It sits between the two (not first, not last) so that Bootstrap still rounds the group's ends.
    var native = document.createElement("input");
    native.type = "date";
    native.className = "date-entry-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    group.appendChild(native);
    group.appendChild(button);
  }

  function enhanceEntries(root) {
    root.querySelectorAll("input[data-entry]:not([data-entry-ready])").forEach(function (input) {
      input.setAttribute("data-entry-ready", "");
      if (!input.id) {
        return;
      }
      if (input.dataset.entry === "date") {
        addDatePicker(input);
      }
      var preview = document.createElement("div");
      preview.id = input.id + "-preview";
      preview.className = "form-text entry-preview";
      preview.setAttribute("aria-live", "polite");
      preview.hidden = true;
      var anchor = input.dataset.entry === "date" ? input.parentNode : input;
      anchor.parentNode.insertBefore(preview, anchor.nextSibling);
      var described = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", (described ? described + " " : "") + preview.id);
      updatePreview(input, false);
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-entry]")) {
      updatePreview(event.target, true);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".date-entry-button");
    if (!button) {
      return;
    }
    var native = button.parentNode.querySelector(".date-entry-native");
    var input = button.parentNode.querySelector("input[data-entry=date]");
    native.value = parseDate(input.value) || "";
    try {
      native.showPicker();
    } catch (error) {
      native.focus();
      native.click();
    }
  });

  document.addEventListener("change", function (event) {
    if (!event.target.classList.contains("date-entry-native") || !event.target.value) {
      return;
    }
    var input = event.target.closest(".date-entry").querySelector("input[data-entry=date]");
    input.value = event.target.value;
    // Emptied, so that a late change (the picker closing) cannot write it back over a later edit.
    event.target.value = "";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });

  /* ---- Filters (GET forms) show what the page shows ----
     Coming back to a page, the browser restores the choices last made in its forms, so a filter (the year
     picker among them) could read 2024 over a page showing 2026. A filter has no unsaved work to keep:
     each goes back to what the server marked selected. */
  function showServedFilters(root) {
    root.querySelectorAll("form[method=get] select").forEach(function (select) {
      if (select.multiple) {
        Array.prototype.forEach.call(select.options, function (option) { option.selected = option.defaultSelected; });
        return;
      }
      // As the page was served: the last option marked selected, else the first.
      var served = 0;
      Array.prototype.forEach.call(select.options, function (option, index) {
        if (option.defaultSelected) { served = index; }
      });
      select.selectedIndex = select.options.length ? served : -1;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceEntries(document); });
  } else {
    enhanceEntries(document);
  }
  // Chromium restores the controls after DOMContentLoaded; pageshow comes after it (and after bfcache too).
  window.addEventListener("pageshow", function () { showServedFilters(document); });
  document.addEventListener("htmx:load", function (event) { enhanceEntries(event.target); });
})();
