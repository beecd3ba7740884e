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
  const post = (body) =>
    fetch(control('/__control'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
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
      if (!['queued', 'processing', 'unavailable'].includes(reading.state))
        throw new Error(`${name}: ${reading.state}`);
    }
    const result = await core.fetchJobResult(routes, submitted.requestId, checked.request, {
      apiKey: API_KEY,
      endpoint: new URL(endpoint),
    });
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
  const figures = (done) =>
    done.map(({ requestId, savedAt }) => {
      const job = jobs.find((candidate) => candidate.requestId === requestId);
      return { lagMs: savedAt - job.finishesAt, statusReads: job.statusReads, resultReads: job.resultReads };
    });
  return { latencyMs, count, expectedMs: expected, ours: figures(oursDone), sdkStyle: figures(sdkDone) };
}

/**
 * 8c. Every shipped model at its own typical time, all at once against one fake: each model's request on its own
 * route (`…/v2/<slug>`), the job lasting the model's typical latency (the fake's `[[latency:N]]` prompt marker), and
 * the extension's schedule starting from that latency (a first use: no history). COMPLETED → image on disk and the
 * status reads per job, per model.
 */
export async function modelJobs({ stage, endpoint, dir, count }) {
  const require = createRequire(import.meta.url);
  const core = require(path.join(stage, 'out/src/core/asyncJob.js'));
  const { validateRequest } = require(path.join(stage, 'out/src/core/request.js'));
  const { MODELS } = require(path.join(stage, 'out/src/core/models/registry.js'));
  const control = (route) => new URL(route, endpoint).href;
  fs.mkdirSync(dir, { recursive: true });
  const run = async (model, index) => {
    const modelEndpoint = core.endpointForModel(endpoint, model.slug);
    const routes = core.asyncRoutesFor(new URL(modelEndpoint));
    const checked = validateRequest({
      model: model.slug,
      prompt: `[[latency:${model.typicalLatencyMs}]] ${model.slug} job ${index}`,
    });
    if (!checked.ok) throw new Error(`${model.slug}: ${JSON.stringify(checked.problems)}`);
    const expected = core.expectedJobMs([], model.typicalLatencyMs);
    const submittedAt = Date.now();
    const submitted = await core.submitJob(routes, checked.request, { endpoint: modelEndpoint, apiKey: API_KEY });
    for (;;) {
      await sleep(core.nextPollAt(Date.now() - submittedAt, expected) - (Date.now() - submittedAt));
      const reading = await core.readJobStatus(routes, submitted.requestId, { apiKey: API_KEY });
      if (reading.state === 'completed') break;
      if (!['queued', 'processing', 'unavailable'].includes(reading.state))
        throw new Error(`${model.slug}: ${reading.state}`);
    }
    const result = await core.fetchJobResult(routes, submitted.requestId, checked.request, {
      apiKey: API_KEY,
      endpoint: new URL(modelEndpoint),
    });
    if (result.state !== 'image') throw new Error(`${model.slug}: result ${result.state}`);
    fs.writeFileSync(path.join(dir, `${model.slug}-${index}.${result.image.type.extension}`), result.image.bytes);
    return { model: model.slug, requestId: submitted.requestId, savedAt: Date.now() };
  };
  const done = await Promise.all(
    MODELS.flatMap((model) => Array.from({ length: count }, (_, index) => run(model, index))),
  );
  const jobs = await (await fetch(control('/__control/jobs'))).json();
  return Object.fromEntries(
    MODELS.map((model) => [
      model.slug,
      {
        typicalLatencyMs: model.typicalLatencyMs,
        jobs: done
          .filter((job) => job.model === model.slug)
          .map(({ requestId, savedAt }) => {
            const job = jobs.find((candidate) => candidate.requestId === requestId);
            return { lagMs: savedAt - job.finishesAt, statusReads: job.statusReads };
          }),
      },
    ]),
  );
}
