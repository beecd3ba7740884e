// 8. (Node part) Durable jobs: from the moment the fake marks a job COMPLETED to the image written to disk, and
// the status reads per job, for the extension's poll schedule (src/core/asyncJob.ts: nextPollAt with the
// expectation of a first use, Ideogram's average) and, at the same time against the same fake, for the strategy
// of Segmind's own SDK (a status read every second). Both use the core's submit, status, result and download.
// The fake runs in its own process (scripts/bench.mjs) and reports when each job finished (GET /__control/jobs).
// (The same figure through the whole extension, in the real extension host, is in test/integration/bench.)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const API_KEY = 'bench-key';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function durableJobs({ stage, endpoint, dir, count, latencyMs }) {
  const require = createRequire(import.meta.url);
  const core = require(path.join(stage, 'out/src/core/asyncJob.js'));
  const { validateRequest } = require(path.join(stage, 'out/src/core/request.js'));
  const control = (route) => new URL(route, endpoint).href;
  const post = (body) => fetch(control('/__control'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post({ configure: { latencyMs } });
  fs.mkdirSync(dir, { recursive: true });
  const routes = core.asyncRoutesFor(new URL(endpoint));

  const run = async (name, index, nextDelay) => {
    const checked = validateRequest({ prompt: `${name} job ${index}`, seed: 900 + index });
    const submittedAt = Date.now(); // as the extension does: the job's clock starts when the submit leaves
    const submitted = await core.submitJob(routes, checked.request, { endpoint, apiKey: API_KEY });
    for (;;) {
      await sleep(nextDelay(Date.now() - submittedAt));
      const reading = await core.readJobStatus(routes, submitted.requestId, { apiKey: API_KEY });
      if (reading.state === 'completed') break;
      if (!['queued', 'processing', 'unavailable'].includes(reading.state)) throw new Error(`${name}: ${reading.state}`);
    }
    const result = await core.fetchJobResult(routes, submitted.requestId, checked.request, { apiKey: API_KEY, endpoint: new URL(endpoint) });
    if (result.state !== 'image') throw new Error(`${name}: result ${result.state}`);
    fs.writeFileSync(path.join(dir, `${name}-${index}.jpg`), result.image.bytes);
    return { requestId: submitted.requestId, savedAt: Date.now() };
  };
  const expected = core.expectedJobMs([]);
  const ours = (index) => run('schedule', index, (elapsed) => core.nextPollAt(elapsed, expected) - elapsed);
  const sdk = (index) => run('sdk-1s', index, () => 1_000);
  const [oursDone, sdkDone] = await Promise.all([
    Promise.all(Array.from({ length: count }, (_, index) => ours(index))),
    Promise.all(Array.from({ length: count }, (_, index) => sdk(index))),
  ]);
  const jobs = await (await fetch(control('/__control/jobs'))).json();
  await post({ configure: { latencyMs: 0 } });
  const figures = (done) => done.map(({ requestId, savedAt }) => {
    const job = jobs.find((candidate) => candidate.requestId === requestId);
    return { lagMs: savedAt - job.finishesAt, statusReads: job.statusReads, resultReads: job.resultReads };
  });
  return { latencyMs, count, expectedMs: expected, ours: figures(oursDone), sdkStyle: figures(sdkDone) };
}
