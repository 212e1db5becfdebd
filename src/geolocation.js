// Position bridge, run through document::eval: requests one fresh position fix from the platform
// and sends {latitude, longitude, accuracy} (WGS-84 degrees, metres), or {error} when there is
// none. maximumAge 0 rejects a fix cached by the browser, because the core stamps the fix with the
// time it arrives.
const TIMEOUT_MS = 20000;
if (!navigator.geolocation) {
  dioxus.send({ error: "navigator.geolocation is not available" });
  return;
}
try {
  const position = await new Promise((resolve, reject) =>
    navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: TIMEOUT_MS, maximumAge: 0 }),
  );
  const { latitude, longitude, accuracy } = position.coords;
  dioxus.send({ latitude, longitude, accuracy });
} catch (e) {
  dioxus.send({ error: e && e.message ? `${e.code}: ${e.message}` : String(e) });
}
