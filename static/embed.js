/* Polku embed pages: tell the portal page around the frame how tall the content is, so the
   frame fits it without a scroll bar, and that a new page has opened, so the portal can bring
   the frame's top into view. The messages carry nothing but these: never the page's address
   (a saved checklist's holds its private id) nor anything the person answered.

   { type: "polku:height", height }     whenever the content's height changes, up or down
   { type: "polku:navigated", height }  once per page, after its first height              */
(function () {
  "use strict";
  if (window.parent === window) return;

  // The portal's origin where the browser tells it (Chromium, Safari); else "*", which is safe
  // here: the page's frame-ancestors (POLKU_FRAME_ORIGINS) has already refused to show it in
  // any frame whose ancestors are not all listed, and the messages hold nothing private.
  var ancestors = window.location.ancestorOrigins;
  var parent = ancestors && ancestors.length ? ancestors[0] : "";
  var target = parent && parent !== "null" ? parent : "*";

  function post(type, height) {
    window.parent.postMessage({ type: type, height: height }, target);
  }

  // The content's own height (the body, a block formatting context, so no margin escapes it),
  // not the document's scrollHeight: that is never less than the frame's height, so a frame
  // made tall for a long page would never shrink back for a short one.
  function measure() {
    return Math.ceil(document.body.getBoundingClientRect().height);
  }

  var last = 0;
  function tell() {
    var height = measure();
    if (height === last) return;
    last = height;
    post("polku:height", height);
  }

  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
  window.addEventListener("load", tell);
  tell();
  post("polku:navigated", last);
})();
