/* A small map on a country or post page: the world's shapes as background and the posts as
 * markers, from data embedded in the page (no request but the local geometry file). */
(function () {
  "use strict";

  var el = document.getElementById("place-map");
  if (!el || !window.L) return;
  var points = JSON.parse(document.getElementById("place-map-points").textContent);
  var center = JSON.parse(document.getElementById("place-map-center").textContent);

  var map = L.map(el, {
    scrollWheelZoom: false,
    attributionControl: Boolean(el.dataset.tileLayer),
  });
  if (el.dataset.tileLayer) {
    L.tileLayer(el.dataset.tileLayer, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var zoom = Number(el.dataset.zoom) || 4;
  if (points.length > 1) {
    map.fitBounds(
      points.map(function (point) {
        return [point.lat, point.lng];
      }),
      { padding: [30, 30], maxZoom: zoom + 2 }
    );
  } else if (points.length === 1) {
    map.setView([points[0].lat, points[0].lng], zoom);
  } else if (center && center.lat !== null && center.lng !== null) {
    map.setView([center.lat, center.lng], zoom);
  } else {
    map.setView([20, 10], 1);
  }

  fetch(el.dataset.geometryUrl)
    .then(function (response) {
      return response.json();
    })
    .then(function (world) {
      L.geoJSON(topojson.feature(world, world.objects.countries), {
        interactive: false,
        style: { color: "#9fb3c8", weight: 0.8, fillColor: "#f7f9fb", fillOpacity: 1 },
      })
        .addTo(map)
        .bringToBack();
    })
    .catch(function () {
      el.classList.add("atlas-map--failed");
    });

  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lng], {
      icon: L.divIcon({
        className: "atlas-marker",
        html: '<span class="atlas-marker__pin"></span>',
        iconSize: [20, 20],
      }),
      title: point.name + (point.city ? ", " + point.city : ""),
      keyboard: points.length > 1,
      interactive: points.length > 1,
    }).addTo(map);
    if (points.length > 1) {
      marker.on("click", function () {
        window.location.href = point.url;
      });
    }
  });
})();
