/* /api/docs: Swagger UI (vendored, static/vendor/swagger-ui) showing the API's OpenAPI
 * document. Swagger UI has no module build: its classic script defines the global
 * SwaggerUIBundle, read from there once loaded. "Try it out" calls go with the page's
 * cookies, so a logged-in staff member can call the check-in API here (with the
 * X-Requested-With header the document names). */

const root = document.getElementById("swagger-ui");

function loadSwaggerUI() {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = root.getAttribute("data-bundle-url");
    script.onload = () => resolve(window.SwaggerUIBundle);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

loadSwaggerUI().then((SwaggerUIBundle) => {
  SwaggerUIBundle({
    url: root.getAttribute("data-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // never ask another site to validate the document
  });
});
