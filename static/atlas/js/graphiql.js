// GraphiQL on the page that serves it (templates/graphql/graphiql.html): queries go to the same
// URL; the editor's query and variables are kept in the address, so a link shares them.
(function () {
  "use strict";

  var parameters = new URLSearchParams(window.location.search);
  var url = window.location.href.split("?")[0];

  function remember(name, value) {
    if (value) {
      parameters.set(name, value);
    } else {
      parameters.delete(name);
    }
    var search = parameters.toString();
    history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: url }),
      defaultEditorToolsVisibility: true,
      query: parameters.get("q") || undefined,
      variables: parameters.get("variables") || undefined,
      onEditQuery: function (query) {
        remember("q", query);
      },
      onEditVariables: function (variables) {
        remember("variables", variables);
      },
    }),
  );
})();
