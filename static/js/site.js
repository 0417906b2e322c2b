/*
 * Small progressive enhancements; every page works without them.
 * - FAQ: open the <details> an address points at (#q-...), on load and when the hash changes.
 * - Video chapters: links "#t=SECONDS" jump the video to that time and play it; the chapter
 *   being played is marked with aria-current="time".
 * - Service announcements: dates redrawn in the reader's time zone; a "hide" button remembers
 *   the hidden ones in this browser (localStorage; nothing is sent to the server).
 * - Disclosures marked data-open-from="48rem" (the results' filters) open on screens at least
 *   that wide, for browsers whose CSS cannot show a closed disclosure's content.
 */
(function () {
    "use strict";

    function targetFromHash() {
        var id = window.location.hash.slice(1);
        if (!id) return null;
        try {
            id = decodeURIComponent(id);
        } catch (e) {
            return null;
        }
        return document.getElementById(id);
    }

    function openTargetedDetails() {
        var target = targetFromHash();
        if (!target) return;
        var details = target.closest("details");
        if (details && !details.open) {
            details.open = true;
            target.scrollIntoView({ block: "start" });
        }
    }

    function secondsFromHash(hash) {
        var match = /^#t=(\d+(?:\.\d+)?)$/.exec(hash || "");
        return match ? parseFloat(match[1]) : null;
    }

    function setUpChapters(container) {
        var video = document.getElementById(container.getAttribute("data-video-chapters"));
        if (!video) return;
        var links = Array.prototype.slice.call(container.querySelectorAll("a[data-seconds]"));

        function seek(seconds, play) {
            video.currentTime = seconds;
            if (play) {
                var playing = video.play();
                // Browsers may refuse to play (e.g. no user gesture yet); the seek still happened.
                if (playing && playing.catch) playing.catch(function () {});
            }
        }

        links.forEach(function (link) {
            link.addEventListener("click", function (event) {
                event.preventDefault();
                seek(parseFloat(link.getAttribute("data-seconds")), true);
                if (window.history && window.history.replaceState) {
                    window.history.replaceState(null, "", link.getAttribute("href"));
                }
            });
        });

        video.addEventListener("timeupdate", function () {
            var current = null;
            links.forEach(function (link) {
                if (parseFloat(link.getAttribute("data-seconds")) <= video.currentTime + 0.25) current = link;
            });
            links.forEach(function (link) {
                if (link === current) link.setAttribute("aria-current", "time");
                else link.removeAttribute("aria-current");
            });
        });

        var start = secondsFromHash(window.location.hash);
        if (start !== null) {
            if (video.readyState >= 1) seek(start, false);
            else video.addEventListener("loadedmetadata", function () { seek(start, false); }, { once: true });
        }
    }

    var HIDDEN_KEY = "help-hidden-announcements";

    function hiddenAnnouncements() {
        try {
            return JSON.parse(window.localStorage.getItem(HIDDEN_KEY) || "[]");
        } catch (e) {
            return [];
        }
    }

    function localWhen(element) {
        var lang = document.documentElement.lang;
        var day = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short" });
        var time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
        function dayText(date) {
            var parts = {};
            day.formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
            return parts.weekday + " " + parts.day + " " + parts.month;
        }
        var start = new Date(element.getAttribute("data-starts"));
        var starts = dayText(start) + ", " + time.format(start);
        if (!element.hasAttribute("data-ends")) {
            return element.getAttribute("data-open-ended").replace("%(when)s", starts);
        }
        var end = new Date(element.getAttribute("data-ends"));
        if (dayText(end) === dayText(start)) return starts + "\u2013" + time.format(end);
        return starts + " \u2013 " + dayText(end) + ", " + time.format(end);
    }

    function setUpAnnouncement(item) {
        var when = item.querySelector(".announcement__when");
        if (when && window.Intl && Intl.DateTimeFormat.prototype.formatToParts) {
            when.textContent = localWhen(when);
        }
        var button = item.querySelector(".announcement__dismiss");
        if (!button) return;
        button.hidden = false;
        button.addEventListener("click", function () {
            var hidden = hiddenAnnouncements().concat([item.getAttribute("data-dismiss-key")]);
            try {
                // The newest 50 are plenty; older ones have ended long ago.
                window.localStorage.setItem(HIDDEN_KEY, JSON.stringify(hidden.slice(-50)));
            } catch (e) {
                // Storage refused (private mode, full): hidden for this page view only.
            }
            item.hidden = true;
            var section = item.closest(".announcements");
            if (section && !section.querySelector("[data-dismiss-key]:not([hidden])")) section.hidden = true;
            document.getElementById("main").focus();
        });
    }

    function openOnWideScreens(details) {
        var wide = window.matchMedia("(min-width: " + details.getAttribute("data-open-from") + ")");
        if (wide.matches) details.open = true;
    }

    function init() {
        openTargetedDetails();
        window.addEventListener("hashchange", openTargetedDetails);
        Array.prototype.forEach.call(document.querySelectorAll("[data-video-chapters]"), setUpChapters);
        Array.prototype.forEach.call(document.querySelectorAll("details[data-open-from]"), openOnWideScreens);
        Array.prototype.forEach.call(document.querySelectorAll(".announcement[data-dismiss-key]"), setUpAnnouncement);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();

/*
 * Code blocks: a "Copy" button (a real <button>, so Enter and Space work) copies the code
 * exactly as shown and says so; without the clipboard API the button stays hidden.
 */
(function () {
    "use strict";
    if (!navigator.clipboard) return;
    document.querySelectorAll("[data-copy-code]").forEach(function (button) {
        var label = button.innerHTML;
        var code = button.closest(".code-block").querySelector("code");
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(code.textContent).then(function () {
                button.textContent = button.getAttribute("data-copied");
                window.setTimeout(function () {
                    button.innerHTML = label;
                }, 2000);
            });
        });
    });
})();
