/*
 * Small progressive enhancements; every page works without them.
 * - FAQ: open the <details> an address points at (#q-...), on load and when the hash changes.
 * - Video chapters: links "#t=SECONDS" jump the video to that time and play it; the chapter
 *   being played is marked with aria-current="time".
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

    function openOnWideScreens(details) {
        var wide = window.matchMedia("(min-width: " + details.getAttribute("data-open-from") + ")");
        if (wide.matches) details.open = true;
    }

    function init() {
        openTargetedDetails();
        window.addEventListener("hashchange", openTargetedDetails);
        Array.prototype.forEach.call(document.querySelectorAll("[data-video-chapters]"), setUpChapters);
        Array.prototype.forEach.call(document.querySelectorAll("details[data-open-from]"), openOnWideScreens);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
