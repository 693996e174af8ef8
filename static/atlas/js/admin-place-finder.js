// The admin geo widget's offline place finder and its warnings (settings: LocationPanel).
// Typing a city (or an address ending in one) moves the pin, from the project's own list of
// cities (GeoNames, /admin/atlas/places.json); a pin at sea or outside the page's country gets
// a warning, tested against the project's copy of the world's outlines. No request leaves.
(function () {
  "use strict";
  if (!window.L) return;
  var script = document.currentScript;
  var staticRoot = script ? script.src.replace(/atlas\/js\/admin-place-finder[^/]*$/, "") : "/static/";
  // The outlines are coarse (1:110m): a pin within this many degrees of a shape is on it.
  var TOLERANCE = 0.5;
  var places = null;
  var world = null;

  function settings() {
    var el = document.getElementById("atlas-place-finder");
    return el ? JSON.parse(el.textContent) : null;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim().toLowerCase();
  }

  function loadPlaces(url) {
    if (!places) {
      places = fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var byName = {};
          data.cities.forEach(function (city) {  // the most populous first: keep the first
            var name = fold(city[0]);
            if (!byName[name]) byName[name] = city;
            if (!byName[name + "|" + city[1]]) byName[name + "|" + city[1]] = city;
          });
          return { byName: byName, numeric: data.numeric };
        });
    }
    return places;
  }

  function loadWorld() {
    if (!world) {
      world = fetch(staticRoot + "vendor/world-atlas/countries-110m.json")
        .then(function (response) { return response.json(); })
        .then(function (topology) { return topojson.feature(topology, topology.objects.countries).features; });
    }
    return world;
  }

  function inRing(ring, lng, lat) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inFeature(feature, lng, lat) {
    var geometry = feature.geometry;
    if (!geometry) return false;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (polygon) {
      return inRing(polygon[0], lng, lat) && !polygon.slice(1).some(function (hole) { return inRing(hole, lng, lat); });
    });
  }

  // The countries (numeric ids) on or near the point.
  function countriesNear(features, latLng) {
    var ids = {};
    [-TOLERANCE, 0, TOLERANCE].forEach(function (dLat) {
      [-TOLERANCE, 0, TOLERANCE].forEach(function (dLng) {
        features.forEach(function (feature) {
          if (inFeature(feature, latLng.lng + dLng, latLng.lat + dLat)) ids[feature.id] = true;
        });
      });
    });
    return ids;
  }

  function attach(map, marker, config) {
    var container = map.getContainer();
    var latLngField = document.getElementById(container.id.replace(/_map$/, "_latlng"));
    var warning = document.createElement("p");
    warning.className = "help-block help-warning";
    warning.dataset.placeWarning = "";
    warning.hidden = true;
    container.insertAdjacentElement("afterend", warning);
    if (latLngField) {
      var help = document.createElement("p");
      help.className = "help";
      help.dataset.placeHelp = "";
      help.textContent = config.help;
      latLngField.insertAdjacentElement("afterend", help);
    }

    function warn(text) {
      warning.textContent = text || "";
      warning.hidden = !text;
    }

    function check() {
      var latLng = marker.getLatLng();
      Promise.all([loadWorld(), config.country ? loadPlaces(config.placesUrl) : null]).then(function (loaded) {
        var near = countriesNear(loaded[0], latLng);
        if (!Object.keys(near).length) return warn(config.atSea);
        var numeric = config.country && loaded[1].numeric[config.country];
        if (numeric && !near[numeric]) return warn(config.outside);
        warn("");
      });
    }

    function find(text, quiet) {
      if (!text.trim()) return;
      loadPlaces(config.placesUrl).then(function (data) {
        // "3-6-3 Shibakoen, Minato-ku, Tokyo": the city is the last part that is one.
        var parts = text.split(",").reverse();
        for (var i = 0; i < parts.length; i++) {
          var name = fold(parts[i].replace(/\d{3,}[-\s]?\d*/g, ""));
          var city = data.byName[name + "|" + config.country] || data.byName[name];
          if (city && latLngField) {
            latLngField.value = city[2] + ", " + city[3];
            latLngField.dispatchEvent(new Event("input", { bubbles: true }));
            return;
          }
        }
        if (!quiet) warn(config.notFound.replace("%(place)s", text.trim()));
      });
    }

    marker.on("move dragend", check);
    ["id_city", "id_address"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) field.addEventListener("change", function () { find(field.value, id === "id_address"); });
    });
    check();
  }

  // Leaflet's zoom buttons in the editor's language (Leaflet titles them in English).
  function titleZoomButtons(map, config) {
    var titles = { "leaflet-control-zoom-in": config.zoomIn, "leaflet-control-zoom-out": config.zoomOut };
    Object.keys(titles).forEach(function (name) {
      var button = map.getContainer().querySelector("." + name);
      if (button && titles[name]) {
        button.title = titles[name];
        button.setAttribute("aria-label", titles[name]);
      }
    });
  }

  L.Map.addInitHook(function () {
    var map = this;
    var config = settings();
    if (!config) return;
    titleZoomButtons(map, config);
    map.on("layeradd", function (event) {
      if (event.layer instanceof L.Marker && !map._atlasPlaceFinder) {
        map._atlasPlaceFinder = true;
        attach(map, event.layer, config);
      }
    });
  });
})();
