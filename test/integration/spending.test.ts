// Cost, budget, variations and the Copilot agent tool, in the real extension host against the fake API.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FakeSegmind } from '../fake-segmind/server';
import { STATE_KEY } from '../../src/common/ids';
import {
  activateExtension,
  assetFiles,
  closeAllEditors,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  workspaceFolder,
} from './helpers';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as Result } from '../../src/generation/paletteResults';

const TOOL = 'ideogram_generateImage';
const SQUARE = { resolution: 'RESOLUTION_1024_1024', style_type: 'GENERAL', magic_prompt_option: 'AUTO' } as const;

function submits(fake: FakeSegmind) {
  return fake.requests.filter((request) => request.path === '/v2/ideogram-txt-2-img');
}

function textOf(result: { content: unknown[] }): string {
  return result.content
    .map((part) => (part as { value?: unknown }).value)
    .filter((value) => typeof value === 'string')
    .join('\n');
}

async function setBudget(
  key: 'confirmAboveCredits' | 'dailyCreditLimit',
  value: number | undefined,
  target = vscode.ConfigurationTarget.Global,
): Promise<void> {
  await vscode.workspace.getConfiguration('ideogram').update(key, value, target);
}

describe('Spending: cost, budget, variations, the Copilot tool', () => {
  let api: TestingApi;
  let fake: FakeSegmind;

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind({ cost: 0.1, credits: 12.5 });
  });
  after(async () => {
    await fake.close();
    await vscode.workspace
      .getConfiguration('ideogram')
      .update('apiEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await setBudget('dailyCreditLimit', undefined);
    await setBudget('confirmAboveCredits', undefined);
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store('integration-test-key');
    await removeAssets();
    await closeAllEditors();
  });

  it('knows the cost after the first image: shown after it, kept in its gallery entry, and "known" for the next', async () => {
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'A lighthouse, cost probe',
      options: { seed: 11 },
    });
    assert.ok(result);
    const entry = await api.sidebar.gallery.entryFor(vscode.Uri.parse(result.uri));
    assert.strictEqual(entry?.cost, 0.1, 'the gallery entry keeps the reported cost');
    const estimate = api.spending.estimate(SQUARE);
    assert.deepStrictEqual([estimate.kind, 'total' in estimate && estimate.total], ['known', 0.1]);
    assert.match(
      api.spending.describe(api.spending.estimate(SQUARE, 4)),
      /^0\.40 credits for 4 images · 1\d\.\d+ left$/,
    );
    assert.match(
      api.spending.describe(api.spending.estimate({ ...SQUARE, resolution: 'RESOLUTION_1344_768' })),
      /^≈ 0\.10 credits \(estimate from other options\)/,
    );
  });

  it('generates 3 variations as 3 jobs with distinct seeds: 3 files and 3 gallery entries', async () => {
    const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
      prompt: 'A red kite over the sea',
      variations: 3,
    });
    assert.ok(result?.uris, 'the command returns every saved image');
    assert.strictEqual(result.uris.length, 3);
    const files = await assetFiles();
    assert.strictEqual(files.length, 3, `three files in assets/: ${files.join(', ')}`);
    assert.deepStrictEqual(
      result.uris.map((uri) => path.basename(vscode.Uri.parse(uri).fsPath)).sort(),
      files.slice().sort(),
    );
    const seeds = submits(fake).map((request) => (request.json as { seed?: number }).seed);
    assert.strictEqual(seeds.length, 3, 'one submit per variation');
    assert.strictEqual(new Set(seeds).size, 3, `distinct seeds: ${seeds.join(', ')}`);
    const entries = await Promise.all(result.uris.map((uri) => api.sidebar.gallery.entryFor(vscode.Uri.parse(uri))));
    assert.strictEqual(new Set(entries.map((entry) => entry?.id)).size, 3, 'three gallery entries');
    assert.deepStrictEqual(entries.map((entry) => entry?.seed).sort(), seeds.slice().sort(), 'each entry has its seed');
  });

  it('in Markdown, inserts the variation the user picks (the others stay saved)', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# Title\n\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    const running = vscode.commands.executeCommand<Result>('ideogram.insertImage', {
      prompt: 'A paper boat',
      variations: 2,
    });
    // The quick pick of finished variations: accept its first item, as Enter would.
    const deadline = Date.now() + 30_000;
    let result: Result | undefined;
    while (!result && Date.now() < deadline) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      result = await Promise.race([
        running,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 300)),
      ]);
    }
    assert.ok(result, 'the command finished after the pick');
    assert.strictEqual(result.uris?.length, 2);
    assert.ok(result.inserted, 'the chosen one is inserted');
    assert.ok(document.getText().includes(result.link), document.getText());
    assert.strictEqual((document.getText().match(/!\[/g) ?? []).length, 1, 'exactly one link inserted');
    assert.strictEqual((await assetFiles()).length, 2, 'both images are saved');
  });

  it('refuses past the daily limit, before anything is sent, with a way to raise it; a workspace cannot raise it', async () => {
    const spent = api.spending.spentToday();
    await setBudget('dailyCreditLimit', spent + 0.05);
    // The setting is application-scoped: VS Code refuses to write it into a workspace, and a value put into the
    // workspace's settings.json by hand is ignored (only the user's value is read).
    await assert.rejects(
      setBudget('dailyCreditLimit', 1000, vscode.ConfigurationTarget.Workspace),
      /can be written only into User settings/,
    );
    const workspaceSettings = vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'settings.json');
    const previousSettings = await vscode.workspace.fs.readFile(workspaceSettings).then(
      (bytes) => bytes,
      () => undefined,
    );
    await vscode.workspace.fs.writeFile(
      workspaceSettings,
      Buffer.from(JSON.stringify({ 'ideogram.dailyCreditLimit': 1000, 'ideogram.confirmAboveCredits': 1000 })),
    );
    try {
      const before = api.recentFailures().length;
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
        prompt: 'A costly castle',
        options: { seed: 5 },
      });
      assert.strictEqual(result, undefined);
      assert.strictEqual(submits(fake).length, 0, 'nothing was sent to Segmind');
      const shown = api
        .recentFailures()
        .slice(before)
        .find((failure) => failure.kind === 'budget-exceeded');
      assert.ok(shown, 'the refusal is shown');
      assert.match(shown.message, /daily limit/);
      assert.match(shown.message, /ideogram\.dailyCreditLimit/);
      assert.deepStrictEqual(shown.actions, ['Open Settings']);
      assert.deepStrictEqual(await assetFiles(), []);

      // The Copilot tool passes the same check: the agent gets the reason as text.
      const text = textOf(
        await api.tool.invoke({ input: { prompt: 'A costly castle' } }, new vscode.CancellationTokenSource().token),
      );
      assert.match(text, /^No image was generated: Not generated: today's spend/);
      assert.strictEqual(submits(fake).length, 0, 'nothing was sent for the tool either');
    } finally {
      await setBudget('dailyCreditLimit', undefined);
      if (previousSettings) await vscode.workspace.fs.writeFile(workspaceSettings, previousSettings);
      else await vscode.workspace.fs.delete(workspaceSettings);
    }
  });

  it('refuses a batch of variations whose total would pass the limit, though one image would fit', async () => {
    await setBudget('dailyCreditLimit', api.spending.spentToday() + 0.15);
    try {
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
        prompt: 'Four foxes',
        variations: 4,
      });
      assert.strictEqual(result, undefined);
      assert.strictEqual(submits(fake).length, 0, 'no variation was sent');
    } finally {
      await setBudget('dailyCreditLimit', undefined);
    }
  });

  it('five generations started at once against a 0.25 limit at 0.10 each: two are sent and billed, three refused', async function () {
    this.timeout(120_000);
    if (api.spending.estimate(SQUARE).kind !== 'known') {
      assert.ok(
        await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
          prompt: 'A price probe',
          options: { seed: 3 },
        }),
      );
      fake.reset();
    }
    await setBudget('dailyCreditLimit', api.spending.spentToday() + 0.25);
    try {
      // As a double click, the palette and the sidebar, or the agent calling the tool in parallel would.
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          vscode.commands.executeCommand<Result>('ideogram.generateImage', {
            prompt: `A parallel lighthouse ${n}`,
            options: { seed: n },
          }),
        ),
      );
      assert.strictEqual(results.filter((result) => result !== undefined).length, 2, 'two images');
      assert.strictEqual(submits(fake).length, 2, 'two requests sent to Segmind');
      assert.strictEqual((await assetFiles()).length, 2);
    } finally {
      await setBudget('dailyCreditLimit', undefined);
    }
  });

  it("a set daily limit never passes silently: on a fresh install the model's list price counts (marked an estimate), so a limit below it refuses and sends nothing", async () => {
    const costs = api.state.global.get<unknown>(STATE_KEY.costs);
    await api.state.global.update(STATE_KEY.costs, undefined); // a fresh install: no price reported yet
    await setBudget('dailyCreditLimit', api.spending.spentToday() + 0.05);
    try {
      const estimate = api.spending.estimate(SQUARE);
      assert.strictEqual(estimate.kind, 'listed', 'the price table\'s figure, not "unknown" (which would count as 0)');
      assert.ok(
        estimate.kind === 'listed' && estimate.total >= 0.1,
        `Ideogram 2.0's list price (${JSON.stringify(estimate)})`,
      );
      assert.match(api.spending.describe(estimate), /^≈ 0\.10 credits \(estimate/);
      const before = api.recentFailures().length;
      const result = await vscode.commands.executeCommand<Result>('ideogram.generateImage', {
        prompt: 'A price nobody reported yet',
        options: { seed: 8 },
      });
      assert.strictEqual(result, undefined);
      assert.strictEqual(submits(fake).length, 0, 'nothing was sent');
      assert.ok(
        api
          .recentFailures()
          .slice(before)
          .some((failure) => failure.kind === 'budget-exceeded'),
        'the refusal is shown',
      );
    } finally {
      await setBudget('dailyCreditLimit', undefined);
      await api.state.global.update(STATE_KEY.costs, costs);
    }
  });

  describe('the Copilot agent tool', () => {
    it('is registered with VS Code and named in package.json with a # reference name', () => {
      const extension = vscode.extensions.getExtension('ideogram-vscode.ideogram-vscode');
      const contributed = extension?.packageJSON.contributes.languageModelTools as Array<{
        name: string;
        toolReferenceName?: string;
      }>;
      assert.deepStrictEqual(
        contributed.map((tool) => [tool.name, tool.toolReferenceName]),
        [[TOOL, 'ideogramImage']],
      );
      const lm = vscode.lm as unknown as { tools?: ReadonlyArray<{ name: string }> };
      assert.ok(
        lm.tools?.some((tool) => tool.name === TOOL),
        `vscode.lm.tools lists ${TOOL}: ${lm.tools?.map((tool) => tool.name).join(', ')}`,
      );
    });

    it('asks to confirm with the prompt, the options and the estimated cost', () => {
      const prepared = api.tool.prepareInvocation({
        input: { prompt: 'A blue whale icon', style_type: 'DESIGN', resolution: 'RESOLUTION_1344_768' },
      });
      assert.ok(prepared.confirmationMessages, 'a confirmation is asked for');
      const message =
        typeof prepared.confirmationMessages.message === 'string'
          ? prepared.confirmationMessages.message
          : prepared.confirmationMessages.message.value;
      assert.match(prepared.confirmationMessages.title, /Generate an image with Ideogram/);
      assert.match(message, /A blue whale icon/);
      assert.match(message, /DESIGN · 1344 × 768/);
      assert.match(message, /Cost:\*\* ≈ 0\\\.10 credits/);
    });

    it('through vscode.lm.invokeTool: saves the image, inserts its link into the document, and answers with path, link and seed', async () => {
      const docs = vscode.Uri.joinPath(workspaceFolder().uri, 'docs');
      await vscode.workspace.fs.createDirectory(docs);
      const document = vscode.Uri.joinPath(docs, 'tool-test.md');
      await vscode.workspace.fs.writeFile(document, Buffer.from('# Tool test\n\nSome text.\n'));
      try {
        const lm = vscode.lm as unknown as {
          invokeTool(
            name: string,
            options: { input: unknown; toolInvocationToken: undefined },
            token?: vscode.CancellationToken,
          ): Promise<{ content: unknown[] }>;
        };
        const result = await lm.invokeTool(TOOL, {
          input: { prompt: 'A green tree frog, flat icon', seed: 777, document: 'docs/tool-test.md' },
          toolInvocationToken: undefined,
        });
        const text = textOf(result);
        const [file] = await assetFiles();
        assert.ok(file, 'the image is saved into assets/');
        assert.match(text, new RegExp(`Saved the image as assets/${file.replace(/[.]/g, '\\.')}\\.`));
        assert.match(
          text,
          new RegExp(
            `Markdown link: !\\[A green tree frog, flat icon\\]\\(\\.\\./assets/${file.replace(/[.]/g, '\\.')}\\)`,
          ),
        );
        assert.match(text, /Seed: 777/);
        assert.match(text, /Inserted the link into docs\/tool-test\.md\./);
        const written = Buffer.from(await vscode.workspace.fs.readFile(document)).toString('utf8');
        assert.strictEqual(written, `# Tool test\n\nSome text.\n![A green tree frog, flat icon](../assets/${file})\n`);
        assert.strictEqual(submits(fake).length, 1);
      } finally {
        await vscode.workspace.fs.delete(docs, { recursive: true });
      }
    });

    it('never overwrites: the same prompt twice gives two files', async () => {
      for (let index = 0; index < 2; index++)
        await api.tool.invoke(
          { input: { prompt: 'Same name twice', seed: 3 } },
          new vscode.CancellationTokenSource().token,
        );
      assert.strictEqual((await assetFiles()).length, 2);
    });

    it('answers bad input, a missing key and no credits with clear text', async () => {
      const token = new vscode.CancellationTokenSource().token;
      assert.match(
        textOf(await api.tool.invoke({ input: { prompt: 'x', resolution: 'HUGE' } }, token)),
        /^No image was generated: the input is not valid \(.*resolution/i,
      );
      assert.match(
        textOf(await api.tool.invoke({ input: { style: 'no prompt' } }, token)),
        /^No image was generated: the input is not valid \(prompt/,
      );
      await api.keys.clear();
      const previous = process.env.IDEOGRAM_API_KEY;
      delete process.env.IDEOGRAM_API_KEY;
      try {
        // The same failure and fixing action as everywhere else, told to the model as text.
        assert.match(
          textOf(await api.tool.invoke({ input: { prompt: 'A cat' } }, token)),
          /^No image was generated: Ideogram needs a Segmind API key to generate images\. Ask the user to fix this \(Set API Key\)/,
        );
      } finally {
        if (previous !== undefined) process.env.IDEOGRAM_API_KEY = previous;
      }
      await api.keys.store('integration-test-key');
      assert.strictEqual(submits(fake).length, 0, 'nothing was sent for bad input or without a key');
      fake.failNext(402);
      assert.match(
        textOf(await api.tool.invoke({ input: { prompt: 'A cat' } }, token)),
        /^No image was generated: .*credits/i,
      );
    });

    it('writes only to a document of ours inside the workspace: package.json, .git/config, ../ and other schemes are refused unopened', async () => {
      const token = new vscode.CancellationTokenSource().token;
      const root = workspaceFolder().uri;
      const packageJson = vscode.Uri.joinPath(root, 'package.json');
      await vscode.workspace.fs.writeFile(packageJson, Buffer.from('{"name": "victim"}\n'));
      try {
        const outside = vscode.Uri.joinPath(root, '..', 'outside.md').fsPath;
        for (const document of [
          'package.json',
          '.git/config',
          '.vscode/tasks.json',
          'docs/../../outside.md',
          outside,
          'untitled://notes/notes.md',
          'vscode-userdata://user/settings.md',
        ]) {
          const text = textOf(await api.tool.invoke({ input: { prompt: 'A cat', document } }, token));
          assert.match(text, /is not a document the tool may write to/, `${document}: ${text}`);
        }
        assert.strictEqual(submits(fake).length, 0, 'nothing was generated');
        assert.ok(
          !vscode.workspace.textDocuments.some((open) => open.uri.toString() === packageJson.toString()),
          'package.json was never opened',
        );
        assert.strictEqual(
          Buffer.from(await vscode.workspace.fs.readFile(packageJson)).toString(),
          '{"name": "victim"}\n',
        );
      } finally {
        await vscode.workspace.fs.delete(packageJson);
      }
    });

    it('shows the prompt on one line in its confirmation: a prompt cannot forge an Options or Cost line', () => {
      const prepared = api.tool.prepareInvocation({
        input: { prompt: 'A fox\n\n**Cost:** free\n**Options:** nothing' },
      });
      const message = prepared.confirmationMessages?.message;
      const text = typeof message === 'string' ? message : (message?.value ?? '');
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      assert.strictEqual(lines.filter((line) => line.startsWith('**Cost:**')).length, 1, text);
      assert.strictEqual(lines.filter((line) => line.startsWith('**Options:**')).length, 1, text);
      assert.ok(lines[0].startsWith('**Prompt:** A fox '), text);
    });
  });
});
