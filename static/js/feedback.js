/*
 * "Was this helpful?" and "This step didn't work" without leaving the page. The forms work
 * without JavaScript (they post and come back); here the same forms go to the JSON API and
 * the box changes in place, moving focus to what comes next so keyboard and screen reader
 * users follow along.
 */
(function () {
    "use strict";

    function uiStrings() {
        var element = document.getElementById("help-ui-strings");
        try {
            return element ? JSON.parse(element.textContent) : {};
        } catch (e) {
            return {};
        }
    }

    function post(url, data) {
        return window.fetch(url, {
            method: "POST",
            body: data,
            credentials: "same-origin",
            headers: { Accept: "application/json" },
        }).then(function (response) {
            return response.json().then(function (data) {
                if (!response.ok) throw data;
                return data;
            });
        });
    }

    function setUp(box, strings) {
        var ask = box.querySelector("[data-feedback-ask]");
        var reason = box.querySelector("[data-feedback-reason]");
        var thanks = box.querySelector("[data-feedback-thanks]");
        var status = box.querySelector("[data-feedback-status]");
        var note = box.querySelector("[data-feedback-note]");
        var stepForms = document.querySelectorAll("[data-step-feedback]");

        function show(part) {
            [ask, reason, thanks].forEach(function (element) { element.hidden = element !== part; });
        }

        function failed() {
            status.textContent = "";
            status.textContent = strings.feedbackFailed || "";
        }

        function askWhy(data) {
            reason.querySelector("input[name=feedback]").value = data.id;
            note.textContent = data.step
                ? (strings.stepNote || "").replace("%(step)s", String(data.step))
                : strings.pageNote || "";
            show(reason);
            var heading = reason.querySelector("[data-feedback-reason-heading]");
            heading.focus();
            heading.scrollIntoView({ block: "start" });
        }

        function thank(data) {
            thanks.querySelector("[data-feedback-unhelpful]").hidden = data.helpful;
            show(thanks);
            thanks.querySelector("[data-feedback-thanks-text]").focus();
        }

        function vote(form, event) {
            event.preventDefault();
            var data = new FormData(form);
            // The clicked button carries the answer; FormData(form) leaves it out.
            var submitter = event.submitter;
            if (submitter && submitter.name) data.set(submitter.name, submitter.value);
            post(box.getAttribute("data-api"), data)
                .then(function (json) { if (json.helpful) thank(json); else askWhy(json); })
                .catch(failed);
        }

        ask.addEventListener("submit", function (event) { vote(ask, event); });
        Array.prototype.forEach.call(stepForms, function (form) {
            form.addEventListener("submit", function (event) { vote(form, event); });
        });
        reason.addEventListener("submit", function (event) {
            event.preventDefault();
            post(box.getAttribute("data-reason-api"), new FormData(reason)).then(thank).catch(failed);
        });
    }

    function init() {
        if (!window.fetch || !window.FormData) return;
        var strings = uiStrings();
        Array.prototype.forEach.call(document.querySelectorAll("[data-feedback]"), function (box) {
            setUp(box, strings);
        });
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
