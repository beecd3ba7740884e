// What a job read back from disk may do when resumed (src/core/resumeChecks.ts): the key goes only to the
// current endpoint's origin, the image and the link stay inside the job's workspace folder.
import * as assert from 'node:assert/strict';
import { isInsideFolder, resumedEndpoint } from '../../src/core/resumeChecks';

describe('resuming a job read back from disk', () => {
  const current = 'https://api.segmind.com/v1/ideogram-txt-2-img';

  it("talks to the current endpoint's origin only; another valid origin is asked about; plain http elsewhere never", () => {
    assert.deepEqual(resumedEndpoint({ endpoint: 'https://api.segmind.com/v1/ideogram-3' }, current), {
      kind: 'current',
    });
    assert.deepEqual(resumedEndpoint({ endpoint: 'https://proxy.example.com/v1/ideogram-txt-2-img' }, current), {
      kind: 'other-origin',
      origin: 'https://proxy.example.com',
    });
    assert.deepEqual(resumedEndpoint({ endpoint: 'http://collector.example.com/v1/ideogram-txt-2-img' }, current), {
      kind: 'invalid',
    });
    assert.deepEqual(resumedEndpoint({ endpoint: 'https://user:secret@api.segmind.com/v1/x' }, current), {
      kind: 'invalid',
    });
    assert.deepEqual(resumedEndpoint({ endpoint: 'https://api.segmind.com/v1/x' }, 'not a url'), {
      kind: 'other-origin',
      origin: 'https://api.segmind.com',
    });
  });

  it('keeps the image and the document inside the workspace folder: no prefix trick, no dot segments', () => {
    const folder = 'file:///home/me/project';
    assert.ok(isInsideFolder('file:///home/me/project/assets', folder));
    assert.ok(isInsideFolder('file:///home/me/project', folder));
    assert.ok(!isInsideFolder('file:///home/me/project-evil/assets', folder));
    assert.ok(!isInsideFolder('file:///home/me/project/../.ssh', folder));
    assert.ok(!isInsideFolder('file:///home/me/project/%2e%2e/.ssh', folder));
    assert.ok(!isInsideFolder('file:///etc/cron.d', folder));
    assert.ok(!isInsideFolder('vscode-remote://host/home/me/project/x', folder));
  });
});
