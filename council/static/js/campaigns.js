// The certificate's print button: shown only when JavaScript can print (the page says how to print otherwise).
(function () {
  var button = document.getElementById("print-certificate");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
