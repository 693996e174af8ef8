/* The atlas's world map: every public post as a marker, countries shaded by their number of
 * accounts, a platform filter and a panel with the accounts and people of what was chosen.
 * Progressive enhancement: the page's A–Z list links every country and post page without it.
 *
 * Light first: Leaflet and the map's data load only when the map comes into view (or at once
 * when the URL names a place). The first request (QUERY) carries what the map draws, posts
 * with their places and account counts per platform and form (LinkedIn pages, LinkedIn groups):
 * its size grows with posts, not accounts.
 * The accounts and people of a country load when it or one of its posts is selected
 * (COUNTRY_QUERY, the contract's country query with the page's locale), one small GET each.
 * The selection and the filter are kept in the URL's fragment (#country=JP, #post=123,
 * #country=AU&platform=linkedin&form=group) to share a view. */
(function () {
  "use strict";

  // Names and URLs in the page's language: $locale is the <html lang> ("nl", "en").
  var QUERY = `query AtlasMap($locale: String) {
  countries(locale: $locale) {
    code name url
    posts {
      id name url kind city location { lat lng }
      formCounts { platform { slug } form count }
    }
  }
}`;
  // The contract's country query (queries/country.graphql) in the page's locale, with the
  // ids of the posts (to find the selected one), the accounts' display names, follower
  // counts and latest post (read server-side: the browser never asks a platform).
  var COUNTRY_QUERY = `query Country($code: String!, $locale: String) {
  country(code: $code, locale: $locale) {
    code name url
    posts {
      id name kind city url
      accounts {
        handle url name form formLabel platform { slug name }
        status statusSince currentHandle currentUrl formerUrl
        followers { count fetchedAt } recentPosts(limit: 1) { text url publishedAt }
      }
      people {
        name role jobTitle
        accounts {
          handle url name form formLabel platform { slug name }
          status statusSince currentHandle currentUrl formerUrl
          followers { count fetchedAt } recentPosts(limit: 1) { text url publishedAt }
        }
      }
    }
  }
}`;
  var SHADES = ["#b3cde6", "#7aa6d0", "#3f78b0", "#154273"];
  var LAND = "#f7f9fb";
  // The fragment's keys: the selected place and the filter (see readHash).
  var HASH_KEYS = ["country", "post", "platform", "form"];

  var el = document.getElementById("atlas-map");
  if (!el) return;

  var strings = readStrings();
  var shapeCodes = JSON.parse(document.getElementById("atlas-shape-codes").textContent);
  var panel = document.getElementById("atlas-panel");
  var initialPanel = panel.innerHTML;
  var select = document.getElementById("platform-filter");
  var status = document.getElementById("map-status");
  var iconsUrl = el.dataset.iconsUrl;

  el.setAttribute("role", "region");
  el.setAttribute("aria-label", strings.mapLabel || "");

  var map = null;
  var clusters = null;
  var shapes = null;
  // countries and posts as the first request gave them; details: the country query's
  // answers (promises) by code; selected: what the panel shows.
  // platform, form: the filter (a platform's slug, and a form such as "GROUP" or "").
  var state = {
    platform: "",
    form: "",
    countries: [],
    byCode: {},
    byShape: {},
    posts: {},
    markers: [],
    details: {},
    selected: null,
  };

  whenVisible(el, start);

  // Start at once when the URL names a place, or when the map comes near the viewport:
  // on a phone the map sits below the fold, and the page renders without waiting for it.
  function whenVisible(target, callback) {
    if (Object.keys(readHash()).length || !("IntersectionObserver" in window)) {
      callback();
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          callback();
        }
      },
      { rootMargin: "100px 0px" }
    );
    observer.observe(target);
  }

  function start() {
    var data = fetch(el.dataset.graphqlUrl + "?" + queryParams(QUERY, {}), {
      headers: { Accept: "application/json" },
    }).then(json);
    var world = fetch(el.dataset.geometryUrl).then(json);
    Promise.all([data, world, loadLibraries()])
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
  }

  // Leaflet's and markercluster's styles and scripts, topojson; the scripts run in order.
  function loadLibraries() {
    var loads = words(el.dataset.styles).map(function (href) {
      return load("link", { rel: "stylesheet", href: href });
    });
    words(el.dataset.scripts).forEach(function (src) {
      loads.push(load("script", { src: src, async: false }));
    });
    return Promise.all(loads);
  }

  function words(text) {
    return (text || "").split(" ").filter(Boolean);
  }

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) {
        element[name] = attributes[name];
      });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  // A GET the API (and any cache in front of it) answers: the query and its variables.
  function queryParams(query, variables) {
    variables.locale = el.dataset.locale || null;
    return new URLSearchParams({ query: query, variables: JSON.stringify(variables) }).toString();
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
    map = L.map(el, {
      zoomControl: false, // added below, with its titles in the page's language
      minZoom: 0,
      maxZoom: 12,
      zoomSnap: 0.25,
      worldCopyJump: false,
      attributionControl: Boolean(el.dataset.tileLayer),
      maxBounds: [[-85, -220], [85, 220]],
    });
    L.control
      .zoom({ zoomInTitle: strings.zoomIn || "Zoom in", zoomOutTitle: strings.zoomOut || "Zoom out" })
      .addTo(map);
    map.fitBounds([[-50, -150], [72, 165]]);
    if (el.dataset.tileLayer) {
      L.tileLayer(el.dataset.tileLayer, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 48,
      spiderfyOnMaxZoom: true,
      chunkedLoading: true, // markers added in slices, between which the page stays responsive
      iconCreateFunction: clusterIcon,
    });

    state.countries = data.countries;
    state.countries.forEach(function (country) {
      state.byCode[country.code] = country;
      var key = shapeCodes[country.code];
      if (key) state.byShape[key] = country;
      country.posts.forEach(function (post) {
        post.country = country;
        state.posts[post.id] = post;
        if (!post.location) return;
        var marker = L.marker([post.location.lat, post.location.lng], {
          icon: L.divIcon({
            className: "atlas-marker",
            html: '<span class="atlas-marker__pin"></span>',
            iconSize: [44, 44], // the tap target; the pin drawn inside is smaller
          }),
          title: post.name + (post.city ? ", " + post.city : "") + " (" + country.name + ")",
          keyboard: true,
          riseOnHover: true,
        });
        marker.on("click", function () {
          selectPost(post);
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
    shapes = L.geoJSON(null, {
      style: shapeStyle,
      onEachFeature: function (feature, layer) {
        var country = countryOf(feature);
        if (!country) return;
        layer.on("click", function () {
          selectCountry(country);
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
    render();
    // The shapes in small batches, one per task: a phone stays responsive while they draw.
    var batch = function (start) {
      shapes.addData(features.slice(start, start + 10));
      if (start + 10 < features.length) setTimeout(batch, 0, start + 10);
      else ready();
    };
    batch(0);
  }

  function ready() {
    select.addEventListener("change", function () {
      applyFilter(select.value);
      writeHash();
    });
    window.addEventListener("hashchange", restoreSelection);
    document.querySelector("[data-map-toolbar]").hidden = false;
    document.querySelector("[data-map-legend]").hidden = false;
    restoreSelection();
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

  // An account (or a count of accounts) the filter lets through: on the chosen platform and,
  // when one is chosen, in the chosen form.
  function onPlatform(account) {
    if (!state.platform) return true;
    return account.platform.slug === state.platform && (!state.form || account.form === state.form);
  }

  // The filter from the select's value: "linkedin", "linkedin/group" or "" (all).
  function applyFilter(value) {
    var parts = (value || "").split("/");
    state.platform = parts[0] || "";
    state.form = (parts[1] || "").toUpperCase();
    render();
    if (state.selected) showSelected();
  }

  // Accounts of a post and its people that the filter lets through: from the counts per
  // platform and form.
  function postAccounts(post) {
    return post.formCounts.reduce(function (sum, item) {
      return sum + (onPlatform(item) ? item.count : 0);
    }, 0);
  }

  function countryAccounts(country) {
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
      // Set when the shape is drawn: a hook for the country's code (tests, styles).
      className: country
        ? "atlas-shape atlas-shape--active atlas-shape--" + country.code.toLowerCase()
        : "atlas-shape",
    };
  }

  function render() {
    clusters.clearLayers();
    var shown = state.markers.filter(function (item) {
      return !state.platform || postAccounts(item.post) > 0;
    });
    clusters.addLayers(
      shown.map(function (item) {
        return item.marker;
      })
    );
    if (shapes) shapes.setStyle(shapeStyle);
    el.dataset.shownPosts = String(shown.length);
    var choice = select.options[select.selectedIndex].text;
    var shownText = state.form ? strings.shownForm : strings.shownPlatform;
    status.textContent = state.platform
      ? format(shownText, { posts: shown.length, platform: choice, choice: choice })
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
    return L.divIcon({ html: label.outerHTML, className: "atlas-cluster", iconSize: [44, 44] });
  }

  // The selection and the URL -------------------------------------------------------------

  function selectCountry(country) {
    choose({ country: country, post: null });
  }

  function selectPost(post) {
    choose({ country: post.country, post: post });
  }

  function choose(selected) {
    state.selected = selected;
    writeHash();
    showSelected();
    panel.focus({ preventScroll: window.matchMedia("(min-width: 60rem)").matches });
  }

  function clearSelection() {
    state.selected = null;
    panel.innerHTML = initialPanel;
    writeHash();
  }

  // The fragment's keys and values, e.g. {country: "AU", platform: "linkedin", form: "group"};
  // empty for other fragments (such as #a-z).
  function readHash() {
    var found = {};
    var params = new URLSearchParams(location.hash.slice(1));
    HASH_KEYS.forEach(function (key) {
      var value = params.get(key);
      if (value && /^[\w-]+$/.test(value)) found[key] = value;
    });
    return found;
  }

  // The view in the fragment: the selected place, then the filter; none when nothing is chosen.
  function writeHash() {
    var params = new URLSearchParams();
    var selected = state.selected;
    if (selected && selected.post) params.set("post", selected.post.id);
    else if (selected) params.set("country", selected.country.code);
    if (state.platform) params.set("platform", state.platform);
    if (state.form) params.set("form", state.form.toLowerCase());
    var hash = params.toString() ? "#" + params.toString() : "";
    if (location.hash !== hash) {
      history.replaceState(null, "", hash || location.pathname + location.search);
    }
  }

  // The view the URL names, if it is on the map: the filter (one the select offers), then
  // the place.
  function restoreSelection() {
    var view = readHash();
    if (!Object.keys(view).length) return;
    var value = view.platform ? view.platform + (view.form ? "/" + view.form.toLowerCase() : "") : "";
    var offered = Array.prototype.some.call(select.options, function (option) {
      return option.value === value;
    });
    if (offered && select.value !== value) {
      select.value = value;
      applyFilter(value);
    }
    if (view.country && state.byCode[view.country.toUpperCase()]) {
      selectCountry(state.byCode[view.country.toUpperCase()]);
    } else if (view.post && state.posts[view.post]) {
      selectPost(state.posts[view.post]);
    }
  }

  // The country query's answer, asked once per country.
  function details(country) {
    if (!state.details[country.code]) {
      var params = queryParams(COUNTRY_QUERY, { code: country.code });
      state.details[country.code] = fetch(el.dataset.graphqlUrl + "?" + params, {
        headers: { Accept: "application/json" },
      })
        .then(json)
        .then(function (answer) {
          if (!answer.data || !answer.data.country) throw new Error("no data");
          return answer.data.country;
        });
      state.details[country.code].catch(function () {
        delete state.details[country.code]; // ask again next time
      });
    }
    return state.details[country.code];
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

  // The accounts by platform and form ("LinkedIn page", "LinkedIn group"), as they come.
  function accountList(accounts) {
    var groups = [];
    var byKey = {};
    accounts.filter(onPlatform).forEach(function (account) {
      var key = account.platform.slug + "/" + account.form;
      if (!byKey[key]) {
        byKey[key] = { platform: account.platform, form: account.form, label: account.formLabel, accounts: [] };
        groups.push(byKey[key]);
      }
      byKey[key].accounts.push(account);
    });
    if (!groups.length) return null;
    var list = node("ul", "accounts");
    groups.forEach(function (group) {
      var item = node("li", "accounts__group");
      item.dataset.platform = group.platform.slug;
      item.dataset.form = group.form.toLowerCase();
      var name = node("span", "accounts__platform");
      name.appendChild(icon(group.platform.slug));
      name.appendChild(node("span", null, group.label));
      item.appendChild(name);
      var links = node("ul", "accounts__list");
      group.accounts.forEach(function (account) {
        var li = node("li");
        // A renamed account: its new handle and address (formerUrl says the old one).
        var link = node("a", "account-link", account.currentHandle || account.handle);
        link.href = account.currentUrl || account.url;
        link.rel = "noopener";
        li.appendChild(link);
        if (account.name && account.name !== link.textContent) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(node("span", "muted", account.name));
        }
        accountStatus(li, account);
        activity(li, account);
        links.appendChild(li);
      });
      item.appendChild(links);
      list.appendChild(item);
    });
    return list;
  }

  // "inactive since 3 Dec 2026", "renamed" with the former address: as the post page says it.
  function accountStatus(li, account) {
    var label;
    if (account.status === "INACTIVE") {
      label = account.statusSince
        ? format(strings["status.INACTIVE.since"], { date: day(account.statusSince) })
        : strings["status.INACTIVE"];
    } else if (account.status === "RENAMED") {
      label = strings["status.RENAMED"];
    }
    if (!label) return;
    li.appendChild(document.createTextNode(" "));
    li.appendChild(node("span", "account-tag account-tag--status", label));
    if (account.formerUrl) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(node("span", "account-former muted", format(strings.formerly, { address: account.formerUrl })));
    }
  }

  // "1,234 followers, 3 Dec 2026" and the latest post, as text (fetched text is untrusted).
  var language = document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang;
  function day(iso) {
    var date = new Date(iso);
    if (isNaN(date)) return "";
    return date.toLocaleDateString(language, { day: "numeric", month: "short", year: "numeric" });
  }

  function activity(li, account) {
    if (account.followers) {
      var text = format(account.followers.count === 1 ? strings.follower : strings.followers, {
        count: account.followers.count.toLocaleString(language),
        date: day(account.followers.fetchedAt),
      });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(node("span", "account-followers muted", text));
    }
    var post = (account.recentPosts || [])[0];
    if (!post) return;
    var latest = node("p", "recent-post");
    var text = node("span", "recent-post__text", post.text);
    text.dir = "auto"; // a post in Persian or Arabic reads right to left, whatever the page
    latest.appendChild(text);
    var meta = node("span", "recent-post__meta muted", post.publishedAt ? " " + day(post.publishedAt) : "");
    if (/^https?:\/\//i.test(post.url)) {
      var open = node("a", null, strings.openRecentPost);
      open.href = post.url;
      open.rel = "noopener nofollow ugc";
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(open);
    }
    latest.appendChild(meta);
    li.appendChild(latest);
  }

  // A post with its accounts and people (`full`: the country query's answer for it).
  function postBlock(post, full, level) {
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
    if (!full) return article;
    var accounts = accountList(full.accounts);
    article.appendChild(
      accounts ||
        node("p", "muted", state.platform ? strings.noAccountsOnPlatform : strings.noAccounts)
    );
    var people = full.people.filter(function (person) {
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

  // The selected place at once from the first request's data, then its accounts and people.
  function showSelected() {
    var selected = state.selected;
    var country = selected.country;
    var posts = selected.post ? [selected.post] : country.posts;
    var single = Boolean(selected.post);
    var body = node("div", "atlas-panel__body");
    panel.textContent = "";
    var top = node("div", "atlas-panel__top");
    var heading = node("h2", "atlas-panel__heading", single ? null : country.name);
    heading.id = "atlas-panel-heading";
    if (single) {
      var postLink = node("a", null, selected.post.name);
      postLink.href = selected.post.url;
      heading.appendChild(postLink);
    }
    top.appendChild(heading);
    var close = node("button", "atlas-panel__close", strings.close);
    close.type = "button";
    close.addEventListener("click", clearSelection);
    top.appendChild(close);
    panel.appendChild(top);
    if (!single) {
      var meta = node("p", "muted");
      meta.textContent = format(strings.accountsInCountry, { count: countryAccounts(country) }) + " · ";
      var link = node("a", null, strings.openCountry);
      link.href = country.url;
      meta.appendChild(link);
      panel.appendChild(meta);
    }
    panel.appendChild(body);
    var fill = function (full) {
      body.textContent = "";
      posts.forEach(function (post) {
        body.appendChild(postBlock(post, full && full[post.id], single ? 0 : 3));
      });
    };
    fill(null);
    panel.dataset.loaded = "false";
    panel.setAttribute("aria-busy", "true");
    var note = node("p", "muted atlas-panel__loading", strings.loading);
    body.appendChild(note);
    details(country).then(
      function (answer) {
        if (state.selected !== selected) return; // another place was chosen meanwhile
        var byId = {};
        answer.posts.forEach(function (post) {
          byId[post.id] = post;
        });
        fill(byId);
        panel.removeAttribute("aria-busy");
        panel.dataset.loaded = "true";
      },
      function () {
        if (state.selected !== selected) return;
        note.textContent = strings.detailsError;
        panel.removeAttribute("aria-busy");
      }
    );
  }
})();
