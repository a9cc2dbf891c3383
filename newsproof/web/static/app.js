/* newsproof web page behaviour: form feedback, claim -> evidence, share link. No inline script (CSP). */
(function () {
  "use strict";

  var form = document.getElementById("check-form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = document.getElementById("submit");
      button.disabled = true;
      button.textContent = "Checking\u2026";
      document.getElementById("status").textContent = "Checking the article; this can take a few seconds.";
    });
  }

  // Report page: a highlighted claim opens its evidence cards and takes keyboard focus there.
  document.querySelectorAll("mark[data-claim]").forEach(function (mark) {
    var cardId = "claim-" + mark.dataset.claim;
    mark.setAttribute("role", "button");
    mark.setAttribute("aria-controls", cardId);
    function reveal() {
      var card = document.getElementById(cardId);
      if (!card) { return; }
      card.querySelectorAll("details").forEach(function (d) { d.open = true; });
      card.setAttribute("tabindex", "-1");
      card.focus({preventScroll: true});
    }
    mark.addEventListener("click", reveal);
    mark.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); mark.click(); }
      else if (event.key === "Enter") { reveal(); }
    });
  });

  // Report page: deleting is for good (the stored article text goes too), so ask first.
  var deleteForm = document.getElementById("delete-form");
  if (deleteForm) {
    deleteForm.addEventListener("submit", function (event) {
      if (!window.confirm("Delete this report and its article text from the server? This cannot be undone.")) {
        event.preventDefault();
      }
    });
  }

  var share = document.getElementById("share-url");
  if (share) {
    share.value = new URL(share.value, window.location.href).href;
    share.addEventListener("focus", function () { share.select(); });
    document.getElementById("copy-link").addEventListener("click", function (event) {
      var button = event.currentTarget;
      function done() { button.textContent = "Copied"; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(share.value).then(done, function () { share.select(); });
      } else {
        share.select();
        done();
      }
    });
  }
}());
