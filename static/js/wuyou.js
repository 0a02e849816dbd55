/* Page behaviour declared with data attributes, so that no template needs inline handlers (the
   Content-Security-Policy allows scripts from files only). Listeners sit on the document, so content
   that htmx swaps in later behaves the same way.

   <form data-confirm="确定删除？">          asks before submitting; cancelling keeps the page
   <select data-autosubmit>                 submits its form when the choice changes
   <button type="button" data-print>        prints the page
   <a href="#" data-history-back>           goes back one page (a cancel link with no better target)
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
})();
