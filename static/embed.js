/* Polku embed pages: tell the portal page around the frame how tall the content is, so the
   frame can fit it without a scroll bar. The message carries nothing but the height. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function tell() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height === last) return;
    last = height;
    // "*": the height is no secret, and the page cannot know which portal framed it.
    window.parent.postMessage({ type: "polku:height", height: height }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
  window.addEventListener("load", tell);
  tell();
})();
