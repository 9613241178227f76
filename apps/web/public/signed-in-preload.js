// With a session stored (apps/web/src/session/session-store.ts), starts fetching the chat's chunk and styles
// that index.html names on this script, beside the entry script rather than after it has run (decision 160).
// Signed out it does nothing: the login page never loads the chat. The links match the ones Vite's loader
// adds later (same URLs, CORS), so the loader finds them and nothing is fetched twice.
(function () {
  var script = document.currentScript;
  try {
    if (!script || !localStorage.getItem('chat.session.v1')) return;
  } catch {
    return;
  }
  (script.getAttribute('data-chunks') || '').split(' ').forEach(function (href) {
    if (!href) return;
    var link = document.createElement('link');
    if (/\.css$/.test(href)) {
      link.rel = 'preload';
      link.as = 'style';
    } else link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    document.head.appendChild(link);
  });
})();
