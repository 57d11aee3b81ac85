// The demo shop's embedded checkout (/sandbox/shop/orders/{id}/pay), written as a merchant's
// page writes it: the session's checkout_url in a frame, with ?embedded=true and this page's
// own origin as embed_origin, and each LOMI_CHECKOUT event the checkout posts, from the
// checkout's origin and frame only, written to the page's event log.
"use strict";
(function () {
  var box = document.getElementById("lomi-checkout");
  var log = document.getElementById("lomi-events");
  var done = document.getElementById("lomi-done");
  var closed = document.getElementById("lomi-closed");
  if (!box || !log || !done || !closed) return;
  var url = new URL(box.getAttribute("data-lomi-checkout-url"));
  url.searchParams.set("embedded", "true");
  url.searchParams.set("embed_origin", window.location.origin);
  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = box.getAttribute("data-lomi-title") || "lomi. checkout";
  frame.setAttribute("data-testid", "embedded-checkout");
  box.appendChild(frame);
  window.addEventListener("message", function (event) {
    if (event.origin !== url.origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.type !== "LOMI_CHECKOUT" || typeof data.event !== "string") return;
    var item = document.createElement("li");
    item.setAttribute("data-event", data.event);
    item.textContent = JSON.stringify(data);
    log.appendChild(item);
    if (data.event === "resize" && data.height > 0) {
      // The frame grows and shrinks with the checkout: no scrollbar inside the shop's page.
      frame.style.height = Math.max(240, Math.ceil(data.height)) + "px";
    } else if (data.event === "success" && data.successURL) {
      // Paid: the shop shows the way to its order page (it could go there at once when
      // data.redirect is true; it stays, so the event log can be read).
      done.href = data.successURL;
      done.hidden = false;
    } else if (data.event === "close") {
      frame.remove();
      closed.hidden = false;
    }
  });
})();
