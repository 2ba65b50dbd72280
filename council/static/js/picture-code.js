// Picture sign-in: after a tap in one row, bring the next row into view (mouse and touch only, so
// keyboard users keep their place). The form works the same without this script.
document.addEventListener("DOMContentLoaded", () => {
  const rows = Array.from(document.querySelectorAll(".picture-row"));
  rows.forEach((row, index) => {
    row.addEventListener("click", (event) => {
      if (event.detail === 0 || !event.target.matches("input[type=radio]")) {
        return;
      }
      const next = rows[index + 1] || document.querySelector(".picture-code button[type=submit]");
      next.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });
});
