// The admin's geo widget has no tile server (no third-party requests): draw the world's
// countries from the project's own copy of Natural Earth (world-atlas) under the marker.
(function () {
  "use strict";
  if (!window.L || !window.topojson) return;
  var script = document.currentScript;
  var staticRoot = script ? script.src.replace(/atlas\/js\/admin-world-layer[^/]*$/, "") : "/static/";
  var world = null;

  function loadWorld() {
    if (!world) {
      world = fetch(staticRoot + "vendor/world-atlas/countries-110m.json")
        .then(function (response) { return response.json(); })
        .then(function (topology) { return topojson.feature(topology, topology.objects.countries); });
    }
    return world;
  }

  L.Map.addInitHook(function () {
    var map = this;
    loadWorld().then(function (countries) {
      L.geoJSON(countries, {
        interactive: false,
        style: { color: "#8a9bb0", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(map).bringToBack();
    }).catch(function () { /* the widget still works without the outlines */ });
  });
})();
