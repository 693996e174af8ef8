/* The atlas's world map: every public post as a marker, countries shaded by their number of
 * accounts, a platform filter and a panel with the accounts and people of what was chosen.
 * Progressive enhancement: the page's A–Z list carries the same content without JavaScript.
 * Data: ONE GraphQL request (below) and the world's shapes from a local file; nothing else. */
(function () {
  "use strict";

  // The map's query, sized for what it draws (contract: queries/whole-atlas.graphql).
  // Names and URLs in the page's language: $locale is the <html lang> ("nl", "en").
  var QUERY = `query AtlasMap($locale: String) {
  platforms { slug name accountCount }
  countries(locale: $locale) {
    code name url accountCount
    posts {
      id name url kind city location { lat lng }
      accounts { handle url name platform { slug name } }
      people { name role jobTitle accounts { handle url name platform { slug name } } }
    }
  }
}`;
  var SHADES = ["#b3cde6", "#7aa6d0", "#3f78b0", "#154273"];
  var LAND = "#f7f9fb";

  var el = document.getElementById("atlas-map");
  if (!el || !window.L) return;

  var strings = readStrings();
  var shapeCodes = JSON.parse(document.getElementById("atlas-shape-codes").textContent);
  var panel = document.getElementById("atlas-panel");
  var initialPanel = panel.innerHTML;
  var select = document.getElementById("platform-filter");
  var status = document.getElementById("map-status");
  var iconsUrl = el.dataset.iconsUrl;

  el.setAttribute("role", "region");
  el.setAttribute("aria-label", strings.mapLabel || "");

  var map = L.map(el, {
    minZoom: 0,
    maxZoom: 12,
    zoomSnap: 0.25,
    worldCopyJump: false,
    attributionControl: Boolean(el.dataset.tileLayer),
    maxBounds: [[-85, -220], [85, 220]],
  });
  map.fitBounds([[-50, -150], [72, 165]]);
  if (el.dataset.tileLayer) {
    L.tileLayer(el.dataset.tileLayer, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }

  var state = { platform: "", countries: [], byShape: {}, markers: [], selected: null };
  var clusters = L.markerClusterGroup
    ? L.markerClusterGroup({
        showCoverageOnHover: false,
        maxClusterRadius: 36,
        spiderfyOnMaxZoom: true,
        iconCreateFunction: clusterIcon,
      })
    : L.layerGroup();
  var shapes = null;

  Promise.all([
    fetch(el.dataset.graphqlUrl + "?" + mapQueryParams(), {
      headers: { Accept: "application/json" },
    }).then(json),
    fetch(el.dataset.geometryUrl).then(json),
  ])
    .then(function (results) {
      var answer = results[0];
      if (!answer.data) throw new Error("no data");
      draw(answer.data, results[1]);
    })
    .catch(function () {
      status.textContent = strings.loadError;
      document.querySelector("[data-map-toolbar]").hidden = false;
      el.classList.add("atlas-map--failed");
    });

  function mapQueryParams() {
    var variables = { locale: el.dataset.locale || null };
    return new URLSearchParams({ query: QUERY, variables: JSON.stringify(variables) }).toString();
  }

  function json(response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }

  // The texts in the page's language, rendered by the server as JSON (views.map_strings).
  function readStrings() {
    var blob = document.getElementById("atlas-strings");
    return blob ? JSON.parse(blob.textContent) : {};
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function draw(data, world) {
    state.countries = data.countries;
    state.countries.forEach(function (country) {
      var key = shapeCodes[country.code];
      if (key) state.byShape[key] = country;
      country.posts.forEach(function (post) {
        post.country = country;
        if (!post.location) return;
        var marker = L.marker([post.location.lat, post.location.lng], {
          icon: L.divIcon({
            className: "atlas-marker",
            html: '<span class="atlas-marker__pin"></span>',
            iconSize: [20, 20],
          }),
          title: post.name + (post.city ? ", " + post.city : "") + " (" + country.name + ")",
          keyboard: true,
          riseOnHover: true,
        });
        marker.on("click", function () {
          showPosts(post.name, [post], null);
        });
        state.markers.push({ post: post, marker: marker });
      });
    });

    var features = topojson
      .feature(world, world.objects.countries)
      .features.filter(function (feature) {
        return feature.id !== "010"; // Antarctica: no posts, much empty space
      })
      .map(unwrapAntimeridian);
    shapes = L.geoJSON(features, {
      style: shapeStyle,
      onEachFeature: function (feature, layer) {
        var country = countryOf(feature);
        if (!country) return;
        layer.on("click", function () {
          showPosts(country.name, country.posts, country);
        });
        layer.on("mouseover", function () {
          layer.setStyle({ weight: 1.5, color: "#154273" });
        });
        layer.on("mouseout", function () {
          shapes.resetStyle(layer);
        });
      },
    }).addTo(map);
    clusters.addTo(map);

    select.addEventListener("change", function () {
      state.platform = select.value;
      render();
      if (state.selected) showPosts.apply(null, state.selected);
    });
    document.querySelector("[data-map-toolbar]").hidden = false;
    document.querySelector("[data-map-legend]").hidden = false;
    render();
    el.dataset.ready = "true";
  }

  // Rings that cross the 180th meridian (Russia, Fiji) would be drawn across the whole map:
  // make their longitudes continuous instead.
  function unwrapAntimeridian(feature) {
    var geometry = feature.geometry;
    if (!geometry) return feature;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        for (var i = 1; i < ring.length; i++) {
          var jump = ring[i][0] - ring[i - 1][0];
          if (jump > 180) ring[i][0] -= 360;
          else if (jump < -180) ring[i][0] += 360;
        }
      });
    });
    return feature;
  }

  function countryOf(feature) {
    return state.byShape[feature.id] || state.byShape[(feature.properties || {}).name] || null;
  }

  function onPlatform(account) {
    return !state.platform || account.platform.slug === state.platform;
  }

  function postAccounts(post) {
    var own = post.accounts.filter(onPlatform).length;
    return post.people.reduce(function (sum, person) {
      return sum + person.accounts.filter(onPlatform).length;
    }, own);
  }

  function countryAccounts(country) {
    if (!state.platform) return country.accountCount;
    return country.posts.reduce(function (sum, post) {
      return sum + postAccounts(post);
    }, 0);
  }

  function shapeStyle(feature) {
    var country = countryOf(feature);
    var count = country ? countryAccounts(country) : 0;
    var shade = count >= 10 ? 3 : count >= 5 ? 2 : count >= 2 ? 1 : count >= 1 ? 0 : -1;
    return {
      color: "#9fb3c8",
      weight: 0.6,
      fillColor: shade < 0 ? LAND : SHADES[shade],
      fillOpacity: 1,
      interactive: Boolean(country),
      className: country ? "atlas-shape atlas-shape--active" : "atlas-shape",
    };
  }

  function render() {
    clusters.clearLayers();
    var shown = state.markers.filter(function (item) {
      return !state.platform || postAccounts(item.post) > 0;
    });
    shown.forEach(function (item) {
      clusters.addLayer(item.marker);
    });
    if (shapes) shapes.setStyle(shapeStyle);
    el.dataset.shownPosts = String(shown.length);
    var platformName = select.options[select.selectedIndex].text;
    status.textContent = state.platform
      ? format(strings.shownPlatform, { posts: shown.length, platform: platformName })
      : format(strings.shownAll, { posts: shown.length });
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var label = document.createElement("span");
    label.textContent = count;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + strings.posts;
    label.appendChild(hidden);
    return L.divIcon({ html: label.outerHTML, className: "atlas-cluster", iconSize: [40, 40] });
  }

  // The panel -----------------------------------------------------------------------------

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = text;
    return element;
  }

  function icon(slug) {
    var svgNs = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("class", "icon icon--platform");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var use = document.createElementNS(svgNs, "use");
    use.setAttribute("href", iconsUrl + "#" + slug);
    svg.appendChild(use);
    return svg;
  }

  function accountList(accounts) {
    var groups = [];
    var bySlug = {};
    accounts.filter(onPlatform).forEach(function (account) {
      var slug = account.platform.slug;
      if (!bySlug[slug]) {
        bySlug[slug] = { platform: account.platform, accounts: [] };
        groups.push(bySlug[slug]);
      }
      bySlug[slug].accounts.push(account);
    });
    if (!groups.length) return null;
    var list = node("ul", "accounts");
    groups.forEach(function (group) {
      var item = node("li", "accounts__group");
      var name = node("span", "accounts__platform");
      name.appendChild(icon(group.platform.slug));
      name.appendChild(node("span", null, group.platform.name));
      item.appendChild(name);
      var links = node("ul", "accounts__list");
      group.accounts.forEach(function (account) {
        var li = node("li");
        var link = node("a", "account-link", account.handle);
        link.href = account.url;
        link.rel = "noopener";
        li.appendChild(link);
        if (account.name && account.name !== account.handle) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(node("span", "muted", account.name));
        }
        links.appendChild(li);
      });
      item.appendChild(links);
      list.appendChild(item);
    });
    return list;
  }

  function postBlock(post, level) {
    var article = node("article", "post-summary");
    if (level) {
      var heading = node("h" + level, "post-summary__title");
      var link = node("a", null, post.name);
      link.href = post.url;
      heading.appendChild(link);
      article.appendChild(heading);
    }
    var kind = strings["kind." + post.kind] || "";
    var meta = [kind, post.city, post.country.name].filter(Boolean).join(" · ");
    article.appendChild(node("p", "post-summary__meta", meta));
    var accounts = accountList(post.accounts);
    article.appendChild(
      accounts ||
        node("p", "muted", state.platform ? strings.noAccountsOnPlatform : strings.noAccounts)
    );
    var people = post.people.filter(function (person) {
      return !state.platform || person.accounts.some(onPlatform);
    });
    if (people.length) {
      article.appendChild(node("p", "post-summary__people-heading", strings.people));
      var list = node("ul", "people");
      people.forEach(function (person) {
        var item = node("li", "person");
        var name = node("p", "person__name", person.name + " ");
        name.appendChild(node("span", "muted", person.jobTitle || strings["role." + person.role] || ""));
        item.appendChild(name);
        var personal = accountList(person.accounts);
        if (personal) item.appendChild(personal);
        list.appendChild(item);
      });
      article.appendChild(list);
    }
    return article;
  }

  function showPosts(title, posts, country) {
    state.selected = [title, posts, country];
    panel.textContent = "";
    var top = node("div", "atlas-panel__top");
    var single = !country && posts.length === 1;
    var heading = node("h2", "atlas-panel__heading", single ? null : title);
    heading.id = "atlas-panel-heading";
    if (single) {
      var postLink = node("a", null, title);
      postLink.href = posts[0].url;
      heading.appendChild(postLink);
    }
    top.appendChild(heading);
    var close = node("button", "atlas-panel__close", strings.close);
    close.type = "button";
    close.addEventListener("click", function () {
      state.selected = null;
      panel.innerHTML = initialPanel;
    });
    top.appendChild(close);
    panel.appendChild(top);
    if (country) {
      var meta = node("p", "muted");
      meta.textContent = format(strings.accountsInCountry, { count: countryAccounts(country) }) + " · ";
      var link = node("a", null, strings.openCountry);
      link.href = country.url;
      meta.appendChild(link);
      panel.appendChild(meta);
    }
    posts.forEach(function (post) {
      panel.appendChild(postBlock(post, single ? 0 : 3));
    });
    panel.focus({ preventScroll: window.matchMedia("(min-width: 60rem)").matches });
  }
})();
