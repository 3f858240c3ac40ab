// Starts Swagger UI on /api/docs/. A file, not an inline script: the
// Content-Security-Policy runs scripts from this origin only.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  const documentNode = document.getElementById("openapi-document");
  if (!root || !documentNode || typeof window.SwaggerUIBundle !== "function") {
    return; // the page's own reference still lists every action
  }
  const csrfToken = root.dataset.csrfToken;
  root.replaceChildren();
  window.SwaggerUIBundle({
    domNode: root,
    // The operations this user may run, rendered into the page by the server.
    spec: JSON.parse(documentNode.textContent),
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    deepLinking: false,
    // No badge fetched from swagger.io: nothing leaves this origin.
    validatorUrl: null,
    // "Try it out" sends the session cookie; Django wants the CSRF token with it.
    requestInterceptor: (request) => {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    },
  });
});
