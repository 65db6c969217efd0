// Swagger UI on the admin API's own contract; every asset comes from this server.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/admin/v1/openapi.yaml",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    // The contract names the default port on localhost; "Try it out" goes to the server that served this page.
    requestInterceptor: function (request) {
      var target = new URL(request.url, window.location.href);
      request.url = window.location.origin + target.pathname + target.search;
      return request;
    }
  });
};
