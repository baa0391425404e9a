// The webhook benchmark's receiver (bench/webhooks.sh): answers 200 at
// once, or after the delay a path starting "/slow" asks for (200 ms), and
// notes when each delivery arrived. GET /__stats hands the arrivals over
// and forgets them. Runs in a process of its own, so that the generator's
// work does not delay its clock.
import http from 'node:http';
import process from 'node:process';

const port = Number(process.argv[2]);
let arrivals = [];
http.createServer((req, res) => {
  if (req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(arrivals));
    arrivals = [];
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = Date.now();
    let seq = null;
    try {
      seq = JSON.parse(Buffer.concat(chunks).toString('utf8')).previous_attributes?.seq ?? null;
    } catch { /* not ours */ }
    arrivals.push({ path: req.url, seq, at, id: req.headers['webhook-id'] });
    const send = () => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); };
    if (req.url.startsWith('/slow')) setTimeout(send, 200);
    else send();
  });
}).listen(port, '127.0.0.1', () => console.log(`receiver on ${port}`));
