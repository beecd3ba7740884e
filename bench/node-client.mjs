// 1. Overhead per generation: the core client (out/src/core/client.js) vs curl, interleaved in one run.
// 7. (Node part) Concurrency: N simultaneous generations vs one, with the core client.
//
// The fake Segmind server runs in its own process (see scripts/bench.mjs), so neither side shares an event
// loop or a CPU time slice with it.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const FRESH_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fresh-client.cjs');
const API_KEY = 'bench-key';
export const REQUEST = {
  prompt: 'A lighthouse at dawn, flat illustration',
  seed: 1234, // one seed: the fake renders it once and then serves it from its cache
  style_type: 'DESIGN',
  resolution: 'RESOLUTION_1024_1024',
  magic_prompt_option: 'OFF',
};

/** Runs a process to its end; resolves with its stdout and the wall time from spawn to exit. */
function timedProcess(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code === 0) resolve({ stdout, wallMs });
      else reject(new Error(`${path.basename(command)} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

export async function clientVsCurl({ clientPath, endpoint, dir, pairs, warmup, imageBytes, log, cpuBlock = 40 }) {
  const require = createRequire(import.meta.url);
  const { generateImage } = require(clientPath);
  fs.mkdirSync(dir, { recursive: true });
  const clientFile = path.join(dir, 'client.jpg');
  const freshFile = path.join(dir, 'fresh-client.jpg');
  const curlFile = path.join(dir, 'curl.jpg');

  // The exact body and headers the client sends, captured once through its `fetch` option: curl sends the same.
  let sent;
  await generateImage(REQUEST, {
    endpoint,
    apiKey: API_KEY,
    fetch: (url, init) => {
      sent = { body: init.body, headers: init.headers };
      return fetch(url, init);
    },
  });
  const curlArgs = ['-sS', '--fail', '-o', curlFile, '-X', 'POST'];
  for (const [name, value] of Object.entries(sent.headers)) curlArgs.push('-H', `${name}: ${value}`);
  curlArgs.push('--data-binary', sent.body, '-w', '%{time_total} %{size_download} %{http_code}', endpoint);

  /** Wall time of `work`, and the CPU time (user + system, all threads) this process spent meanwhile. */
  const timed = async (work) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work();
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return { wallMs, cpuMs: (used.user + used.system) / 1000 };
  };
  const client = () =>
    timed(async () => {
      const image = await generateImage(REQUEST, { endpoint, apiKey: API_KEY });
      await fs.promises.writeFile(clientFile, image.bytes);
    });
  const curl = async () => {
    const { stdout, wallMs } = await timedProcess('curl', curlArgs);
    const [seconds, bytes, status] = stdout.trim().split(' ');
    if (status !== '200' || Number(bytes) < imageBytes * 0.95) throw new Error(`curl: HTTP ${status}, ${bytes} bytes`);
    return { wallMs, ownMs: Number(seconds) * 1000 };
  };
  // The floor of any Node client: the global fetch, arrayBuffer(), fs.writeFile; no validation, no checks.
  const bareFile = path.join(dir, 'bare-fetch.jpg');
  const bare = () =>
    timed(async () => {
      const response = await fetch(endpoint, { method: 'POST', headers: sent.headers, body: sent.body });
      await fs.promises.writeFile(bareFile, new Uint8Array(await response.arrayBuffer()));
    });
  // The same with node:http instead of fetch: the body copied into one buffer sized by content-length.
  const httpFile = path.join(dir, 'node-http.jpg');
  const nodeHttp = () =>
    timed(
      () =>
        new Promise((resolve, reject) => {
          const request = http.request(endpoint, { method: 'POST', headers: sent.headers }, (response) => {
            const out = Buffer.allocUnsafe(Number(response.headers['content-length']));
            let offset = 0;
            response.on('data', (chunk) => {
              offset += chunk.copy(out, offset);
            });
            response.on('end', () => fs.promises.writeFile(httpFile, out).then(resolve, reject));
            response.on('error', reject);
          });
          request.on('error', reject);
          request.end(sent.body);
        }),
    );
  const fresh = async () => {
    const { stdout, wallMs } = await timedProcess(process.execPath, [
      FRESH_CLIENT,
      clientPath,
      endpoint,
      API_KEY,
      JSON.stringify(REQUEST),
      freshFile,
    ]);
    return { wallMs, workMs: JSON.parse(stdout).workMs };
  };

  for (let index = 0; index < warmup; index++) {
    await client();
    await curl();
    await bare();
    await nodeHttp();
    await fresh();
  }
  const identical = [clientFile, freshFile, bareFile, httpFile].every((file) => sha256(file) === sha256(curlFile));
  if (!identical) throw new Error('the client and curl wrote different bytes: the comparison would be meaningless');
  const writtenBytes = fs.statSync(clientFile).size;

  const samples = {
    clientMs: [],
    curlOwnMs: [],
    curlWallMs: [],
    bareFetchMs: [],
    nodeHttpMs: [],
    freshWallMs: [],
    freshWorkMs: [],
  };
  for (let index = 0; index < pairs; index++) {
    samples.clientMs.push((await client()).wallMs);
    const c = await curl();
    samples.curlOwnMs.push(c.ownMs);
    samples.curlWallMs.push(c.wallMs);
    samples.bareFetchMs.push((await bare()).wallMs);
    samples.nodeHttpMs.push((await nodeHttp()).wallMs);
    const f = await fresh();
    samples.freshWallMs.push(f.wallMs);
    samples.freshWorkMs.push(f.workMs);
  }
  log?.(`client vs curl: ${pairs} interleaved rounds done`);

  // CPU per generation (diagnosis): blocks of sequential generations per variant, A B C A B C, CPU time of this
  // process (all threads: GC, the fs thread pool) divided by the generations. Far less sensitive to other
  // processes than wall time, and it shows what the transport costs.
  const block = cpuBlock;
  const cpu = { client: [], bareFetch: [], nodeHttp: [] };
  for (let repeat = 0; repeat < 2; repeat++) {
    for (const [name, work] of [
      ['client', client],
      ['bareFetch', bare],
      ['nodeHttp', nodeHttp],
    ]) {
      const used = process.cpuUsage();
      for (let index = 0; index < block; index++) await work();
      const { user, system } = process.cpuUsage(used);
      cpu[name].push((user + system) / 1000 / block);
    }
  }
  return {
    samples,
    cpuPerGenerationMs: Object.fromEntries(
      Object.entries(cpu).map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / v.length]),
    ),
    cpuBlock: block,
    writtenBytes,
    identicalBytes: identical,
    curlVersion: (await timedProcess('curl', ['--version'])).stdout.split('\n')[0],
    requestBody: sent.body,
  };
}

export async function nodeConcurrency({ clientPath, endpoint, dir, concurrency, latencyMs, rounds }) {
  const require = createRequire(import.meta.url);
  const { generateImage } = require(clientPath);
  fs.mkdirSync(dir, { recursive: true });
  const request = { ...REQUEST, prompt: `[[latency:${latencyMs}]] ${REQUEST.prompt}` };
  const one = async (index) => {
    const image = await generateImage(request, { endpoint, apiKey: API_KEY });
    await fs.promises.writeFile(path.join(dir, `concurrent-${index}.jpg`), image.bytes);
  };
  const singleMs = [];
  const manyMs = [];
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    await one(0);
    singleMs.push(performance.now() - started);
    started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, (_, index) => one(index)));
    manyMs.push(performance.now() - started);
  }
  return { singleMs, manyMs };
}
