// The extension's image-model declarations (src/core/models/) against the fake Segmind, which declares each model
// again on its own from the documents (test/fake-segmind/server.ts): every body the client would send for every
// declared choice is one the fake takes, and Describe's answers, in both of the fake's shapes, read as its text.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { describeText } from '../../src/core/describe';
import { checkUploadable, readUploadResponse, toDataUrl, uploadRoute } from '../../src/core/imageUpload';
import type { EnumOption, IntegerOption, ModelDefinition } from '../../src/core/models/options';
import { IMAGE_MODELS } from '../../src/core/models/registry';
import { segmindBody, validateRequest } from '../../src/core/request';
import { type FakeSegmind, fakeDescriptionOf, startFakeSegmind } from '../fake-segmind/server';
import { renderImage } from '../fake-segmind/image';

const KEY = 'test-key';

describe('the image models as declared, against the fake Segmind', function () {
  this.timeout(30_000);
  let fake: FakeSegmind;
  let url: string;
  const picture = renderImage(9, 640, 352, 'jpeg', { scale: 1 });

  before(async () => {
    fake = await startFakeSegmind();
    // Uploaded the way the extension will: checked, as a data URL, to the route for the endpoint, answer read.
    const checked = checkUploadable({ bytes: picture });
    assert.ok(checked.ok);
    const response = await fetch(uploadRoute(fake.endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ data_urls: [toDataUrl(picture, checked.type)] }),
    });
    const read = readUploadResponse(await response.json(), 1, fake.endpoint);
    assert.ok(read.ok);
    url = read.urls[0];
  });
  after(async () => {
    await fake.close();
  });

  const withImages = (each: ModelDefinition, rest: Record<string, unknown> = {}): Record<string, unknown> => ({
    model: each.slug,
    prompt: 'a lighthouse at dusk',
    ...Object.fromEntries((each.imageInputs ?? []).map((input) => [input.name, url])),
    ...rest,
  });

  async function send(version: 'v1' | 'v2', input: Record<string, unknown>): Promise<Response> {
    const result = validateRequest(input);
    if (!result.ok) assert.fail(`the client refused ${JSON.stringify(input)}: ${JSON.stringify(result.problems)}`);
    const response = await fetch(`${fake.url}/${version}/${String(input.model)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify(segmindBody(result.request)),
    });
    if (response.status !== 200) assert.fail(`${version} ${JSON.stringify(input)} → ${await response.text()}`);
    return response;
  }

  it('each model with its defaults is taken on v1 and v2', async () => {
    for (const each of IMAGE_MODELS) {
      for (const version of ['v1', 'v2'] as const) await (await send(version, withImages(each))).arrayBuffer();
    }
  });

  it('property: every declared choice and both ends of every declared range are taken', async () => {
    const variants = IMAGE_MODELS.flatMap((each) =>
      each.options.flatMap((option) => {
        if (option.kind === 'enum')
          return (option as EnumOption).choices.map((value) => withImages(each, { [option.name]: value }));
        if (option.kind === 'integer') {
          const { min, max } = option as IntegerOption;
          return [min, max].map((value) => withImages(each, { [option.name]: value }));
        }
        return [];
      }),
    );
    assert.ok(variants.length > 50, `${variants.length} variants`);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...variants), async (input) => {
        await (await send('v2', input)).arrayBuffer();
      }),
      { numRuns: 60 },
    );
  });

  it("Describe's answer on v1 (upstream JSON) and v2 (that JSON as a string) reads as the fake's text", async () => {
    const describe = IMAGE_MODELS.find((each) => each.action === 'describe')!;
    const expected = fakeDescriptionOf(picture);
    assert.equal(describeText(await (await send('v1', withImages(describe))).json()), expected);
    const { request_id: id } = (await (await send('v2', withImages(describe))).json()) as { request_id: string };
    fake.completeJobs();
    const result = await (await fetch(`${fake.url}/v2/requests/${id}`, { headers: { 'x-api-key': KEY } })).json();
    assert.equal(describeText(result), expected);
  });
});
