// Placeholder until the SPA issue: shows that the API answers.
const app = document.querySelector<HTMLDivElement>('#app');
if (app) {
  app.innerHTML = '<h1>clientd</h1><p>API: <code>/api/v1</code> · status: <span id="ready">checking…</span></p>';
  fetch('/readyz')
    .then((r) => r.json())
    .then((j: { status?: string }) => {
      const el = document.querySelector('#ready');
      if (el) el.textContent = j.status ?? 'unknown';
    })
    .catch(() => {
      const el = document.querySelector('#ready');
      if (el) el.textContent = 'unreachable';
    });
}
