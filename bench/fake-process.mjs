// The fake Segmind API in its own process for the bench: the staged out/test/fake-segmind/main.js, with one
// change: every answer carries `Connection: close`, so each request (client, curl, fetch) opens a fresh
// connection. With keep-alive, a request that follows a pause of more than ~200 ms on a pooled connection
// pays TCP slow start after idle (net.ipv4.tcp_slow_start_after_idle) plus delayed ACKs, about +10 ms for
// 1.5 MB on loopback, which depends on the order of the measurements, not on the code measured; curl
// opens a fresh connection every time anyway, and a real generation (one every ~20 s) finds its
// connection idle or gone too.
//   node bench/fake-process.mjs <out/test/fake-segmind/main.js> [main.js options]
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const [main, ...args] = process.argv.slice(2);
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response, ...rest) {
  if (event === 'request' && response && !response.headersSent) response.setHeader('connection', 'close');
  return emit.call(this, event, request, response, ...rest);
};
process.argv = [process.argv[0], main, ...args];
createRequire(import.meta.url)(path.resolve(main));
