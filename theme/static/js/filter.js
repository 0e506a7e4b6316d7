/*
 * Timeline filters: narrows a listing of <article data-type ...> cards in place.
 * Progressive enhancement: the form is hidden in the HTML and shown here; without
 * JavaScript the static actor, type and year pages give the same slices.
 * The URL query holds the state (?type=sanction&actor=canada&from=2021), so links,
 * reloads and the back button restore the view. Embeds have no form: there the URL
 * alone sets the view, and limit=N keeps the N most recent matches.
 * After each change the timeline element fires "timeline:filtered".
 */
(function () {
  "use strict";

  var form = document.querySelector('[data-module="timeline-filters"]');
  var timeline = document.querySelector("[data-timeline]");
  if (!timeline) return;

  var FACETS = ["type", "actor", "region", "bloc", "stance"];
  var FIELDS = FACETS.concat(["from", "to", "q", "order"]);
  var ATTRIBUTE = { type: "type", actor: "actors", region: "regions", bloc: "blocs", stance: "stance" };
  var count = document.querySelector("[data-match-count]");
  var more = document.querySelector("[data-more]");
  var noMatches = document.querySelector("[data-no-matches]");
  var yearNav = document.querySelector("[data-year-nav]");
  var panel = form && form.querySelector("[data-filter-panel]");
  var activeCount = form && form.querySelector("[data-active-count]");
  var sections = Array.prototype.slice.call(timeline.querySelectorAll("[data-year-section]"));
  var total = Number(timeline.getAttribute("data-total")) || 0;
  var texts = null; // built on first search: normalised text of each card
  var loading = null; // the promise of loading deferred years, once started
  var order = "asc";
  var searchTimer = 0;

  var actorKeys = {};
  var blocKeys = {};
  var events = collect();

  function collect() {
    return Array.prototype.map.call(timeline.querySelectorAll("article[data-type]"), describe);
  }

  function describe(card) {
    var values = {};
    FACETS.forEach(function (facet) {
      values[facet] = (card.getAttribute("data-" + ATTRIBUTE[facet]) || "").split(" ");
    });
    values.actor.forEach(function (key) {
      actorKeys[key] = true;
    });
    values.bloc.forEach(function (key) {
      blocKeys[key] = true;
    });
    return { card: card, values: values, year: Number(card.getAttribute("data-year")) };
  }

  // Long timelines list older years by count only, and a long year's page lists one page of the year. Such a
  // section names every page of its year, in order, in data-year-url (data-page-url: the one already shown); when
  // a reader first filters or searches, the other pages are fetched, so that the filters see the whole year.
  function loadDeferredYears() {
    var partial = sections.filter(function (section) {
      return section.hasAttribute("data-year-url");
    });
    if (!partial.length) return null;
    if (!loading) {
      if (count) count.textContent = isYearPage() ? "Loading the other pages of this year…" : "Loading older years…";
      loading = Promise.all(partial.map(loadYear)).then(function () {
        events = collect();
        texts = null;
      });
    }
    return loading;
  }

  function isYearPage() {
    return sections.some(function (section) {
      return section.hasAttribute("data-page-url");
    });
  }

  function loadYear(section) {
    var shown = section.getAttribute("data-page-url");
    var urls = section.getAttribute("data-year-url").split(" ").filter(Boolean);
    return Promise.all(
      urls.map(function (url) {
        return url === shown ? null : fetchCards(url);
      })
    ).then(function (pages) {
      // The cards in page order, the shown page's among them; newest first, the same cards reversed.
      var cards = [];
      pages.forEach(function (page) {
        cards = cards.concat(page || shownCards(section));
      });
      if (order === "desc") cards.reverse();
      var placed = document.createDocumentFragment();
      cards.forEach(function (card) {
        placed.appendChild(card);
      });
      section.appendChild(placed);
      section.removeAttribute("data-year-url");
      var placeholder = section.querySelector("[data-deferred]");
      if (placeholder) placeholder.hidden = true;
    });
  }

  function shownCards(section) {
    var cards = Array.prototype.slice.call(section.querySelectorAll("article[data-type]"));
    return order === "desc" ? cards.reverse() : cards;
  }

  // The cards of one year page, oldest first, marked data-loaded: the unfiltered view hides them again.
  function fetchCards(url) {
    var inEmbed = document.documentElement.classList.contains("embed");
    var scopeAttribute = timeline.getAttribute("data-scope-attribute");
    var scopeValue = timeline.getAttribute("data-scope-value");
    return fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var cards = [];
        page.querySelectorAll("main article[data-type]").forEach(function (card) {
          // An actor or type page takes only its own events from the year page.
          var values = (card.getAttribute("data-" + scopeAttribute) || "").split(" ");
          if (scopeAttribute && values.indexOf(scopeValue) < 0) return;
          var imported = document.importNode(card, true);
          imported.setAttribute("data-loaded", "");
          if (inEmbed) {
            imported.querySelectorAll("a[href]").forEach(function (link) {
              link.target = "_blank";
              link.rel = "noopener noreferrer";
            });
          }
          cards.push(imported);
        });
        return cards;
      });
  }

  function isFiltered(state) {
    return FIELDS.some(function (name) {
      return name !== "order" && state[name];
    });
  }

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function control(name) {
    return form.elements[name];
  }

  function hasOption(select, value) {
    if (!select) return true; // no form (an embed): any value is taken as given
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) return true;
    }
    return false;
  }

  function readState(search) {
    var params = new URLSearchParams(search);
    var state = {};
    FIELDS.forEach(function (name) {
      state[name] = params.get(name) || "";
    });
    state.limit = Math.max(0, parseInt(params.get("limit"), 10) || 0);
    // ?actor=eu: a bloc named where an actor was expected means the bloc.
    var isActor = form ? hasOption(control("actor"), state.actor) : actorKeys[state.actor];
    var isBloc = form ? hasOption(control("bloc"), state.actor) : blocKeys[state.actor];
    if (state.actor && !isActor && isBloc) {
      state.bloc = state.actor;
      state.actor = "";
    }
    return state;
  }

  function formState() {
    var state = {};
    FIELDS.forEach(function (name) {
      state[name] = control(name).value.trim();
    });
    return state;
  }

  function setControls(state) {
    FIELDS.forEach(function (name) {
      var element = control(name);
      var value = state[name] || (name === "order" ? "asc" : "");
      if (element.tagName === "SELECT" && !hasOption(element, value)) value = name === "order" ? "asc" : "";
      element.value = value;
    });
  }

  function searchString(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (state[name] && !(name === "order" && state[name] === "asc")) params.set(name, state[name]);
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  function matches(event, state, words) {
    for (var i = 0; i < FACETS.length; i++) {
      var wanted = state[FACETS[i]];
      if (wanted && event.values[FACETS[i]].indexOf(wanted) < 0) return false;
    }
    if (state.from && event.year < Number(state.from)) return false;
    if (state.to && event.year > Number(state.to)) return false;
    if (words.length) {
      var text = texts[event.index];
      for (var w = 0; w < words.length; w++) {
        if (text.indexOf(words[w]) < 0) return false;
      }
    }
    return true;
  }

  function searchWords(query) {
    return normalise(query).split(/\s+/).filter(Boolean);
  }

  function ensureTexts() {
    if (texts) return;
    texts = events.map(function (event, index) {
      event.index = index;
      return normalise(event.card.textContent);
    });
  }

  function highlight(visible, words) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
    CSS.highlights.delete("timeline-search");
    if (!words.length) return;
    var ranges = [];
    // A reader looks at the first screens: marking a few hundred cards is enough and stays fast.
    for (var i = 0; i < visible.length && i < 300; i++) {
      var walker = document.createTreeWalker(visible[i].card, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var text = normalise(node.nodeValue);
        if (text.length !== node.nodeValue.length) continue; // offsets would not line up
        words.forEach(function (word) {
          for (var at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
            var range = new Range();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            ranges.push(range);
          }
        });
      }
    }
    var marks = new Highlight();
    ranges.forEach(function (range) {
      marks.add(range);
    });
    CSS.highlights.set("timeline-search", marks);
  }

  function reorder(wanted) {
    if (wanted === order) return;
    order = wanted;
    (wanted === "desc" ? sections.slice().reverse() : sections).forEach(function (section) {
      timeline.appendChild(section);
      Array.prototype.slice.call(section.querySelectorAll("article[data-type]")).reverse().forEach(function (card) {
        section.appendChild(card);
      });
    });
    if (yearNav) {
      var list = yearNav.querySelector("ul");
      Array.prototype.slice.call(list.children).reverse().forEach(function (item) {
        list.appendChild(item);
      });
    }
  }

  function apply(state) {
    var pending = isFiltered(state) && loadDeferredYears();
    if (pending) {
      pending.then(
        function () {
          apply(state);
        },
        function () {
          if (count) {
            count.textContent = isYearPage()
              ? "The other pages of this year could not be loaded; see the page links."
              : "Older years could not be loaded; see the year pages.";
          }
        }
      );
      return;
    }
    var words = searchWords(state.q);
    if (words.length) ensureTexts();
    var visible = [];
    var yearsShown = {};
    var matched = events.filter(function (event) {
      return matches(event, state, words);
    });
    var kept = state.limit && matched.length > state.limit ? matched.slice(matched.length - state.limit) : matched;
    var filtered = isFiltered(state);
    // Unfiltered, a long timeline goes back to its light first view (older years by count and link only),
    // and a page of a long year to its own events.
    var keep = new Set(
      filtered
        ? kept
        : kept.filter(function (event) {
            return !event.card.hasAttribute("data-loaded");
          })
    );
    events.forEach(function (event) {
      var shown = keep.has(event);
      if (event.card.hidden === shown) event.card.hidden = !shown;
      if (shown) {
        visible.push(event);
        yearsShown[event.year] = (yearsShown[event.year] || 0) + 1;
      }
    });
    sections.forEach(function (section) {
      var placeholder = section.querySelector("[data-deferred]");
      if (!filtered && placeholder) {
        section.hidden = false;
        placeholder.hidden = false;
        return;
      }
      if (placeholder) placeholder.hidden = true;
      var shown = yearsShown[section.getAttribute("data-year-section")] || 0;
      section.hidden = !shown;
      var label = section.querySelector("[data-year-count]");
      if (label) label.textContent = "(" + shown + " event" + (shown === 1 ? "" : "s") + ")";
    });
    if (yearNav) {
      Array.prototype.forEach.call(yearNav.querySelectorAll("li[data-year]"), function (item) {
        if (item.querySelector("a").getAttribute("href").charAt(0) === "#") {
          item.hidden = filtered && !yearsShown[item.getAttribute("data-year")];
        }
      });
    }
    reorder(state.order === "desc" ? "desc" : "asc");
    if (count) count.textContent = (filtered || state.limit ? visible.length : total || events.length) + " of " + (total || events.length) + " events";
    if (more) {
      more.hidden = kept.length === matched.length;
      var link = more.querySelector("a");
      link.href = link.getAttribute("data-base") + searchString(state);
      link.textContent = "See all " + matched.length + " events on the full timeline";
    }
    var active = FACETS.concat(["from", "to"]).filter(function (name) {
      return state[name];
    }).length;
    if (activeCount) activeCount.textContent = active ? "(" + active + " active)" : "";
    if (noMatches) noMatches.hidden = visible.length > 0;
    highlight(visible, words);
    timeline.dispatchEvent(new CustomEvent("timeline:filtered", { bubbles: true, detail: { shown: visible.length } }));
  }

  if (!form) {
    apply(readState(location.search));
    return;
  }

  var urlTimer = 0;

  function update(push) {
    var state = formState();
    var search = searchString(state);
    apply(state);
    // The address follows just after the list: on a page of thousands of cards Chromium's pushState
    // costs more than the filtering itself, and the reader should see the list change first.
    window.clearTimeout(urlTimer);
    urlTimer = window.setTimeout(function () {
      if (search !== location.search) {
        history[push ? "pushState" : "replaceState"]({ timeline: true }, "", (search || location.pathname) + location.hash);
        document.dispatchEvent(new CustomEvent("timeline:address", { detail: { search: search } }));
      }
    }, 0);
  }

  form.addEventListener("change", function (event) {
    if (event.target.name !== "q") update(true);
  });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "q") return;
    window.clearTimeout(searchTimer);
    // While typing, one history entry is kept for the whole search rather than one per letter.
    var first = !readState(location.search).q;
    searchTimer = window.setTimeout(function () {
      update(first);
    }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update(true);
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    setControls({});
    update(true);
    control("q").focus();
  });
  window.addEventListener("popstate", function () {
    var state = readState(location.search);
    setControls(state);
    apply(state);
  });
  // pageshow: a page restored from the back-forward cache keeps its DOM but not always its controls.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      var state = readState(location.search);
      setControls(state);
      apply(state);
    }
  });

  // Wide screens show every control; on a phone the panel starts closed unless a filter is set.
  if (panel && (window.matchMedia("(min-width: 40rem)").matches || FACETS.concat(["from", "to"]).some(function (name) {
    return readState(location.search)[name];
  }))) {
    panel.open = true;
  }
  form.hidden = false;
  var initial = readState(location.search);
  setControls(initial);
  apply(initial);
})();
