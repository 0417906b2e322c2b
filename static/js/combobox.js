/*
 * Search as you type: every <input data-suggest="URL"> becomes an ARIA combobox
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/, "list autocomplete").
 * - Typing asks URL?q=...&lang=... for suggestions and lists them under the box; a polite
 *   status message tells screen reader users how many there are.
 * - Down/Up arrows move through the list (focus stays in the box, aria-activedescendant
 *   points at the option); Enter opens the chosen help page, or searches when none is
 *   chosen; Escape closes the list, a second Escape clears the box.
 * Without JavaScript the input is a plain search box in a form that goes to the results page.
 */
(function () {
    "use strict";

    var MIN_CHARS = 2;
    var DELAY_MS = 150;
    var counter = 0;

    function uiStrings() {
        var element = document.getElementById("help-ui-strings");
        try {
            return element ? JSON.parse(element.textContent) : {};
        } catch (e) {
            return {};
        }
    }

    // Suggestions come from our own index; only same-site paths are followed.
    function isLocalPath(url) {
        return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
    }

    function Combobox(input, strings) {
        counter += 1;
        this.input = input;
        this.strings = strings;
        this.form = input.form;
        this.url = input.getAttribute("data-suggest");
        this.items = [];
        this.active = -1;
        this.timer = null;
        this.request = null;
        this.lastQuery = null;

        var id = input.id || "search-combobox-" + counter;
        input.id = id;

        this.listbox = document.createElement("ul");
        this.listbox.id = id + "-listbox";
        this.listbox.className = "suggestions";
        this.listbox.setAttribute("role", "listbox");
        this.listbox.setAttribute("aria-label", strings.suggestions || "Suggestions");
        this.listbox.hidden = true;

        this.status = document.createElement("div");
        this.status.className = "visually-hidden";
        this.status.setAttribute("role", "status");

        // The list opens right under the box (and its button), over whatever follows.
        var anchor = input.closest(".search-form__row") || this.form || input.parentNode;
        anchor.classList.add("has-suggestions");
        anchor.appendChild(this.listbox);
        anchor.appendChild(this.status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", this.listbox.id);

        input.addEventListener("input", this.onInput.bind(this));
        input.addEventListener("keydown", this.onKeyDown.bind(this));
        input.addEventListener("blur", this.close.bind(this));
        // Keep focus in the box while an option is clicked.
        this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
        this.listbox.addEventListener("click", this.onClick.bind(this));
    }

    Combobox.prototype.onInput = function () {
        var self = this;
        window.clearTimeout(this.timer);
        var query = this.input.value.trim();
        if (query.length < MIN_CHARS) {
            this.lastQuery = null;
            this.render([]);
            this.announce("");
            return;
        }
        this.timer = window.setTimeout(function () { self.fetch(query); }, DELAY_MS);
    };

    Combobox.prototype.fetch = function (query) {
        var self = this;
        if (query === this.lastQuery) return;
        this.lastQuery = query;
        if (this.request) this.request.abort();
        var controller = "AbortController" in window ? new AbortController() : null;
        this.request = controller;
        var lang = document.documentElement.getAttribute("lang") || "";
        var url = this.url + "?" + new URLSearchParams({ q: query, lang: lang }).toString();
        window.fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
            .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
            .then(function (data) {
                // An answer to an older query arriving late is ignored.
                if (query !== self.input.value.trim()) return;
                var items = (data.suggestions || []).filter(function (s) { return isLocalPath(s.url); });
                self.render(items);
                self.announceCount(items.length);
            })
            .catch(function () { /* aborted or offline: the form still searches on Enter */ });
    };

    Combobox.prototype.announce = function (text) {
        this.status.textContent = text;
    };

    Combobox.prototype.announceCount = function (count) {
        var s = this.strings;
        if (count === 0) this.announce(s.noSuggestions || "");
        else if (count === 1) this.announce(s.oneSuggestion || "");
        else this.announce((s.manySuggestions || "").replace("%(count)s", String(count)));
    };

    Combobox.prototype.render = function (items) {
        var self = this;
        var types = this.strings.types || {};
        this.items = items;
        this.active = -1;
        this.input.removeAttribute("aria-activedescendant");
        this.listbox.textContent = "";
        items.forEach(function (item, index) {
            var option = document.createElement("li");
            option.id = self.listbox.id + "-" + index;
            option.className = "suggestion";
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            option.setAttribute("data-index", String(index));
            var title = document.createElement("span");
            title.className = "suggestion__title";
            title.textContent = item.title;
            option.appendChild(title);
            if (types[item.type]) {
                var badge = document.createElement("span");
                badge.className = "badge badge--" + item.type;
                badge.textContent = types[item.type];
                option.appendChild(document.createTextNode(" "));
                option.appendChild(badge);
            }
            self.listbox.appendChild(option);
        });
        var open = items.length > 0;
        this.listbox.hidden = !open;
        this.input.setAttribute("aria-expanded", open ? "true" : "false");
    };

    Combobox.prototype.close = function () {
        this.listbox.hidden = true;
        this.input.setAttribute("aria-expanded", "false");
        this.setActive(-1);
    };

    Combobox.prototype.isOpen = function () {
        return !this.listbox.hidden && this.items.length > 0;
    };

    Combobox.prototype.setActive = function (index) {
        var options = this.listbox.children;
        for (var i = 0; i < options.length; i += 1) {
            options[i].setAttribute("aria-selected", i === index ? "true" : "false");
        }
        this.active = index;
        if (index >= 0 && options[index]) {
            this.input.setAttribute("aria-activedescendant", options[index].id);
            options[index].scrollIntoView({ block: "nearest" });
        } else {
            this.input.removeAttribute("aria-activedescendant");
        }
    };

    Combobox.prototype.open = function () {
        if (this.items.length === 0) return false;
        this.listbox.hidden = false;
        this.input.setAttribute("aria-expanded", "true");
        return true;
    };

    Combobox.prototype.go = function (index) {
        var item = this.items[index];
        if (item && isLocalPath(item.url)) window.location.assign(item.url);
    };

    Combobox.prototype.onKeyDown = function (event) {
        var count = this.items.length;
        switch (event.key) {
            case "ArrowDown":
            case "Down":
                if (!this.isOpen() && !this.open()) return;
                event.preventDefault();
                this.setActive(this.active + 1 >= count ? 0 : this.active + 1);
                break;
            case "ArrowUp":
            case "Up":
                if (!this.isOpen() && !this.open()) return;
                event.preventDefault();
                this.setActive(this.active <= 0 ? count - 1 : this.active - 1);
                break;
            case "Enter":
                if (this.isOpen() && this.active >= 0) {
                    event.preventDefault();
                    this.go(this.active);
                }
                break;
            case "Escape":
            case "Esc":
                if (this.isOpen()) {
                    event.preventDefault();
                    this.close();
                } else if (this.input.value) {
                    event.preventDefault();
                    this.input.value = "";
                    this.lastQuery = null;
                    this.render([]);
                }
                break;
            case "Tab":
                this.close();
                break;
            default:
                break;
        }
    };

    Combobox.prototype.onClick = function (event) {
        var option = event.target.closest("[role=option]");
        if (option) this.go(parseInt(option.getAttribute("data-index"), 10));
    };

    function init() {
        if (!window.fetch || !window.URLSearchParams) return;
        var strings = uiStrings();
        Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), function (input) {
            new Combobox(input, strings);
        });
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
