// "Back to the form" on the page for a form too big to send (413, council/errors.py): going back in the
// browser's history finds the form with what was written still in it; following the link would load it empty.
document.querySelectorAll("a[data-back]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
});
