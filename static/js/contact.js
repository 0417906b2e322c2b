/*
 * The contact form, enhanced:
 * - while the subject is typed, help pages that match it are listed under it (many
 *   questions end there); the list is a polite live region, so it is announced without
 *   taking the customer away from what they are typing;
 * - what is typed is kept in this tab's sessionStorage until it is sent, so following one
 *   of those links and coming back loses nothing.
 */
(function () {
    "use strict";

    var MIN_CHARS = 3;
    var DELAY_MS = 300;
    var LIMIT = 5;
    var DRAFT_KEY = "help-contact-draft";
    var DRAFT_FIELDS = ["subject", "message", "email", "name"];

    function uiStrings() {
        var element = document.getElementById("help-ui-strings");
        try {
            return element ? JSON.parse(element.textContent) : {};
        } catch (e) {
            return {};
        }
    }

    function isLocalPath(url) {
        return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
    }

    function storage() {
        try {
            return window.sessionStorage;
        } catch (e) {
            return null;
        }
    }

    function keepDraft(form) {
        var store = storage();
        if (!store) return;
        var hasErrors = form.querySelector("[aria-invalid=true]") !== null;
        var saved = null;
        try {
            saved = JSON.parse(store.getItem(DRAFT_KEY) || "null");
        } catch (e) {
            saved = null;
        }
        // A form sent back with errors already holds the latest text; otherwise restore.
        if (saved && !hasErrors) {
            DRAFT_FIELDS.forEach(function (name) {
                var field = form.elements[name];
                if (field && !field.value && saved[name]) field.value = saved[name];
            });
        }
        form.addEventListener("input", function () {
            var draft = {};
            DRAFT_FIELDS.forEach(function (name) {
                if (form.elements[name]) draft[name] = form.elements[name].value;
            });
            store.setItem(DRAFT_KEY, JSON.stringify(draft));
        });
    }

    function suggestArticles(form, strings) {
        var subject = form.elements.subject;
        var region = form.querySelector("[data-contact-suggestions]");
        var url = form.getAttribute("data-suggest-url");
        if (!subject || !region || !url) return;
        var timer = null;
        var shown = "";

        function render(items) {
            region.textContent = "";
            if (!items.length) return;
            var heading = document.createElement("p");
            heading.className = "contact-suggestions__heading";
            heading.textContent = strings.articlesHeading || "";
            var list = document.createElement("ul");
            items.forEach(function (item) {
                var entry = document.createElement("li");
                var link = document.createElement("a");
                link.href = item.url;
                link.textContent = item.title;
                entry.appendChild(link);
                list.appendChild(entry);
            });
            region.appendChild(heading);
            region.appendChild(list);
        }

        function lookUp() {
            var query = subject.value.trim();
            if (query.length < MIN_CHARS) {
                shown = "";
                render([]);
                return;
            }
            if (query === shown) return;
            shown = query;
            var lang = document.documentElement.getAttribute("lang") || "";
            window.fetch(url + "?" + new URLSearchParams({ q: query, lang: lang }).toString(), {
                headers: { Accept: "application/json" },
            })
                .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
                .then(function (data) {
                    if (query !== subject.value.trim()) return;
                    render((data.suggestions || []).filter(function (s) { return isLocalPath(s.url); }).slice(0, LIMIT));
                })
                .catch(function () { /* offline: the form still works */ });
        }

        subject.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(lookUp, DELAY_MS);
        });
        if (subject.value) lookUp();
    }

    function init() {
        var store = storage();
        if (store && document.querySelector("[data-contact-sent]")) store.removeItem(DRAFT_KEY);
        var form = document.querySelector("[data-contact-form]");
        if (!form) return;
        // After a refused send, start at the list of what to correct.
        var problem = document.getElementById("form-problem");
        if (problem) problem.focus();
        keepDraft(form);
        if (window.fetch && window.URLSearchParams) suggestArticles(form, uiStrings());
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
