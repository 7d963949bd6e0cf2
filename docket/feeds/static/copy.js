// Copy buttons of the calendar-feed page: <button data-copy="#id-of-input">.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) {
    return;
  }
  var input = document.querySelector(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("aria-controls") || "");
  function done(message) {
    if (status) {
      status.textContent = message;
    }
  }
  input.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(
      function () { done("Copied."); },
      function () { done("Press Ctrl+C (or ⌘C) to copy the selected link."); }
    );
  } else {
    done(document.execCommand && document.execCommand("copy")
      ? "Copied." : "Press Ctrl+C (or ⌘C) to copy the selected link.");
  }
});
