// Behaviour attached from this file only: the Content-Security-Policy forbids
// inline scripts and on* attributes.
"use strict";

// <form data-confirm="Delete this note?"> asks before submitting.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
