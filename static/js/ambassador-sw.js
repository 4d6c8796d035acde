// The ambassador app's service worker: when there is no connection, show the offline page instead of
// the browser's error. Nothing else is cached: every page a colleague sees is fresh from the server.
"use strict";
var OFFLINE = "/ambassador/offline";
var CACHE = "gehoord-ambassador-v1";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll([OFFLINE, "/static/css/gehoord.css"]);
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }));
});

self.addEventListener("fetch", function (event) {
  if (event.request.mode !== "navigate") { return; }
  event.respondWith(fetch(event.request).catch(function () { return caches.match(OFFLINE); }));
});
