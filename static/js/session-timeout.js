/* Warn before the idle logout and let the user continue (templates/includes/session_timeout.html).
 *
 * The server ends a session after WUYOU_SESSION_IDLE_MINUTES without a request (offices.accounts.middleware);
 * this page only knows when it was loaded. Before warning, and again when the time is up, it asks the server
 * (GET, which does not count as activity) how long is left: work in another tab keeps the session alive, and
 * then this tab just waits longer. 「继续使用」 POSTs, which counts as activity. When the server says the
 * session is over, the page goes to the login page, which says why.
 */
(function () {
  "use strict";

  var box = document.getElementById("session-timeout");
  if (!box || !window.fetch) {
    return;
  }
  var warningSeconds = Number(box.dataset.warningSeconds);
  var sessionUrl = box.dataset.sessionUrl;
  var loginUrl = box.dataset.loginUrl;
  var csrfToken = box.dataset.csrfToken;
  var countdown = box.querySelector("[data-session-countdown]");
  var continueButton = box.querySelector("[data-session-continue]");
  var modal = window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(box) : null;
  var timers = [];
  var deadline = 0;

  function clearTimers() {
    timers.forEach(function (timer) { clearTimeout(timer); clearInterval(timer); });
    timers = [];
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  function schedule(remainingSeconds) {
    clearTimers();
    deadline = Date.now() + remainingSeconds * 1000;
    timers.push(setTimeout(warn, Math.max(0, remainingSeconds - warningSeconds) * 1000));
    timers.push(setTimeout(timeUp, remainingSeconds * 1000));
  }

  function ask(method) {
    // redirect: "manual": a session already gone answers with a redirect to the login page, not with JSON.
    return fetch(sessionUrl, {
      method: method,
      credentials: "same-origin",
      redirect: "manual",
      headers: {"Accept": "application/json", "X-CSRFToken": csrfToken},
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("session over");
      }
      return response.json();
    }).then(function (data) {
      return Number(data.remaining_seconds);
    });
  }

  function leave() {
    clearTimers();
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  }

  function show() {
    countdown.textContent = String(secondsLeft());
    timers.push(setInterval(function () { countdown.textContent = String(secondsLeft()); }, 1000));
    if (modal) {
      modal.show();
    } else {
      box.classList.add("show", "d-block");
    }
  }

  function hide() {
    if (modal) {
      modal.hide();
    } else {
      box.classList.remove("show", "d-block");
    }
  }

  function warn() {
    ask("GET").then(function (remaining) {
      if (remaining <= 0) {
        leave();
      } else if (remaining > warningSeconds) {
        schedule(remaining);  // active in another tab
      } else {
        show();
      }
    }, leave);
  }

  function timeUp() {
    ask("GET").then(function (remaining) {
      if (remaining > 0) {
        hide();
        schedule(remaining);
      } else {
        leave();
      }
    }, leave);
  }

  continueButton.addEventListener("click", function () {
    ask("POST").then(function (remaining) {
      if (remaining <= 0) {
        leave();
        return;
      }
      hide();
      schedule(remaining);
    }, leave);
  });

  schedule(Number(box.dataset.remainingSeconds));
})();
