import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { GALLERY_DRAG_MIME } from '../../src/common/protocol';
import type { FakeSegmind } from '../fake-segmind/server';
import {
  activateExtension,
  closeAllEditors,
  removeAssets,
  type TestingApi,
  useFakeSegmind,
  waitFor,
  workspaceFolder,
} from './helpers';
// The commands' result, as the extension declares it (a renamed field fails here at compile time).
import type { GenerateImageResult as Result } from '../../src/generation/paletteResults';

const SCRATCH = 'scratch-formats';

async function openScratch(name: string, content: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceFolder().uri, SCRATCH, name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
  return vscode.window.showTextDocument(uri);
}

function place(
  editor: vscode.TextEditor,
  line: number,
  character: number,
  endLine = line,
  endCharacter = character,
): void {
  editor.selection = new vscode.Selection(line, character, endLine, endCharacter);
}

async function insertHere(prompt: string, options?: Record<string, unknown>): Promise<Result & { name: string }> {
  const result = await vscode.commands.executeCommand<Result>('ideogram.insertImage', { prompt, options });
  assert.ok(result?.inserted, 'the link was inserted');
  return { ...result, name: path.basename(vscode.Uri.parse(result.uri).fsPath) };
}

async function undoRestores(editor: vscode.TextEditor, original: string): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('undo');
  assert.strictEqual(editor.document.getText(), original, 'one undo removes the whole link');
}

async function configure(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
}

describe('Generate Image Here in every document format', () => {
  let api: TestingApi;
  let fake: FakeSegmind;

  before(async () => {
    api = await activateExtension();
    fake = await useFakeSegmind();
  });
  after(async () => {
    await fake.close();
    await closeAllEditors();
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(workspaceFolder().uri, SCRATCH), { recursive: true })
      .then(undefined, () => undefined);
  });
  beforeEach(async () => {
    fake.reset();
    await api.keys.store('formats-test-key');
    await removeAssets();
    await closeAllEditors();
  });

  it('HTML: <img> with alt, width and height at the cursor on an empty line; one undo', async () => {
    const original = '<p>Intro</p>\n\n<p>End</p>\n';
    const editor = await openScratch('page.html', original);
    place(editor, 1, 0);
    const { name } = await insertHere('A red fox & "friends"', { resolution: 'RESOLUTION_1280_720' });
    assert.strictEqual(
      editor.document.getText(),
      `<p>Intro</p>\n<img src="../assets/${name}" alt="A red fox &amp; &quot;friends&quot;" width="1280" height="720">\n<p>End</p>\n`,
    );
    await undoRestores(editor, original);
  });

  it('MDX: the selection is the prompt, the link follows on a new paragraph with MDX-escaped alt text', async () => {
    const original = '# Title\n\nA robot {with} <tags>\n\nMore.\n';
    const editor = await openScratch('page.mdx', original);
    place(editor, 2, 0, 2, 22);
    const { name } = await insertHere(editor.document.getText(editor.selection));
    assert.strictEqual(
      editor.document.getText(),
      `# Title\n\nA robot {with} <tags>\n\n![A robot \\{with\\} \\<tags\\>](../assets/${name})\n\nMore.\n`,
    );
    await undoRestores(editor, original);
  });

  it('AsciiDoc: image:: as a block on an empty line, image: inline inside text', async () => {
    const original = '= Guide\n\nFirst paragraph.\n\nSecond, with a word here.\n';
    const editor = await openScratch('guide.adoc', original);
    place(editor, 3, 0);
    const block = await insertHere('Mountains, at dusk');
    assert.strictEqual(
      editor.document.getText(),
      `= Guide\n\nFirst paragraph.\n\nimage::../assets/${block.name}["Mountains, at dusk"]\n\nSecond, with a word here.\n`,
    );
    await undoRestores(editor, original);
    place(editor, 4, 20);
    const inline = await insertHere('An icon');
    assert.strictEqual(
      editor.document.getText(),
      `= Guide\n\nFirst paragraph.\n\nSecond, with a word image:../assets/${inline.name}[An icon]here.\n`,
    );
  });

  it('reStructuredText: inside text the directive goes after the line, with blank lines around it', async () => {
    const original = 'Title\n=====\n\nSome text here.\nMore text.\n';
    const editor = await openScratch('index.rst', original);
    place(editor, 3, 5);
    const { name } = await insertHere('A diagram');
    assert.strictEqual(
      editor.document.getText(),
      `Title\n=====\n\nSome text here.\n\n.. image:: ../assets/${name}\n   :alt: A diagram\n\nMore text.\n`,
    );
    await undoRestores(editor, original);
  });

  it('LaTeX: a figure on its own line, \\includegraphics inside text', async () => {
    const original = '\\section{Intro}\n\nText with a picture  here.\n';
    const editor = await openScratch('paper.tex', original);
    place(editor, 1, 0);
    const figure = await insertHere('Growth_rate 100%');
    assert.strictEqual(
      editor.document.getText(),
      `\\section{Intro}\n\\begin{figure}[htbp]\n  \\centering\n  \\includegraphics[width=\\linewidth]{../assets/${figure.name}}\n  \\caption{Growth\\_rate 100\\%}\n\\end{figure}\nText with a picture  here.\n`,
    );
    await undoRestores(editor, original);
    place(editor, 2, 20);
    const inline = await insertHere('Inline');
    assert.strictEqual(
      editor.document.getText(),
      `\\section{Intro}\n\nText with a picture \\includegraphics{../assets/${inline.name}} here.\n`,
    );
  });

  for (const [file, language] of [
    ['App.jsx', 'javascriptreact'],
    ['App.tsx', 'typescriptreact'],
    ['Card.vue', 'vue'],
    ['Card.svelte', 'svelte'],
  ] as const) {
    it(`${language}: a self-closing <img /> with the framework's quoting`, async () => {
      const original = '<div>\n  \n</div>\n';
      const editor = await openScratch(file, original);
      assert.strictEqual(editor.document.languageId, language);
      place(editor, 1, 2);
      const { name } = await insertHere('A {curly} "logo"');
      const alt = language === 'svelte' ? 'A &#123;curly&#125; &quot;logo&quot;' : 'A {curly} &quot;logo&quot;';
      assert.strictEqual(
        editor.document.getText(),
        `<div>\n  <img src="../assets/${name}" alt="${alt}" width="1024" height="1024" />\n</div>\n`,
      );
      await undoRestores(editor, original);
    });
  }

  it('a notebook Markdown cell: the link is relative to the notebook file', async () => {
    const notebookUri = vscode.Uri.joinPath(workspaceFolder().uri, SCRATCH, 'notebooks', 'analysis.ipynb');
    const ipynb = {
      cells: [{ cell_type: 'markdown', metadata: {}, source: ['# Analysis\n', '\n'] }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    await vscode.workspace.fs.writeFile(notebookUri, Buffer.from(JSON.stringify(ipynb)));
    const notebook = await vscode.workspace.openNotebookDocument(notebookUri);
    assert.strictEqual(notebook.notebookType, 'jupyter-notebook', "VS Code's own ipynb serializer opens it");
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(0);
    await vscode.commands.executeCommand('notebook.cell.edit');
    const editor = await waitFor(
      () => vscode.window.visibleTextEditors.find((candidate) => candidate.document === cell.document),
      'the cell editor',
    );
    const active = await waitFor(
      () => (vscode.window.activeTextEditor?.document === cell.document ? vscode.window.activeTextEditor : undefined),
      'the cell editor to be active',
    );
    assert.strictEqual(active.document.uri.scheme, 'vscode-notebook-cell');
    assert.strictEqual(active.document.languageId, 'markdown');
    const original = cell.document.getText();
    active.selection = new vscode.Selection(1, 0, 1, 0);
    const { name } = await insertHere('Cell chart');
    assert.strictEqual(cell.document.getText(), `# Analysis\n![Cell chart](../../assets/${name})\n`);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => cell.document.getText() === original || undefined, 'one undo to remove the link');
    assert.ok(editor);
    await vscode.commands
      .executeCommand('workbench.action.revertAndCloseActiveEditor')
      .then(undefined, () => undefined);
  });

  describe('settings', () => {
    afterEach(async () => {
      for (const [section, key] of [
        ['markdown', 'copyFiles.destination'],
        ['ideogram', 'assetsFolder'],
        ['ideogram', 'fileNameTemplate'],
        ['ideogram', 'linkTemplates'],
        ['ideogram', 'markdownImageSyntax'],
        ['ideogram', 'imageWidth'],
      ]) {
        await configure(section as string, key as string, undefined);
      }
    });

    it('Markdown follows markdown.copyFiles.destination with its variables, unless ideogram.assetsFolder is set', async () => {
      await configure('markdown', 'copyFiles.destination', {
        '**/*.md': '${documentDirName}/media/${documentBaseName}/',
      });
      const editor = await openScratch('notes.md', '');
      const first = await insertHere('Follows VS Code');
      assert.strictEqual(
        path.dirname(vscode.Uri.parse(first.uri).fsPath),
        path.join(workspaceFolder().uri.fsPath, SCRATCH, 'media', 'notes'),
      );
      assert.strictEqual(editor.document.getText(), `![Follows VS Code](media/notes/${first.name})`);

      await configure('ideogram', 'assetsFolder', 'assets');
      const second = await insertHere('Explicit folder');
      assert.strictEqual(
        path.dirname(vscode.Uri.parse(second.uri).fsPath),
        path.join(workspaceFolder().uri.fsPath, 'assets'),
      );
    });

    it('a copyFiles destination outside the workspace folder is refused before anything is generated', async () => {
      await configure('markdown', 'copyFiles.destination', { '*.md': '/../outside/' });
      await openScratch('outside.md', '');
      const result = await vscode.commands.executeCommand<Result | undefined>('ideogram.insertImage', {
        prompt: 'Nope',
      });
      assert.strictEqual(result, undefined);
      assert.strictEqual(fake.requests.length, 0, 'nothing was sent (nor paid)');
    });

    it('ideogram.fileNameTemplate names the file, and a second image never overwrites the first', async () => {
      await configure('ideogram', 'fileNameTemplate', '${documentBaseName}-${seed}');
      await openScratch('Report.html', '');
      const first = await insertHere('One', { seed: 4242 });
      const second = await insertHere('Two', { seed: 4242 });
      assert.strictEqual(first.name, 'Report-4242.jpg');
      assert.strictEqual(second.name, 'Report-4242-1.jpg');
    });

    it('LaTeX: a file named with # % { } & ~ and two spaces gets a link TeX opens, and Find Unused Images reads it (issue 24)', async function () {
      this.timeout(120_000);
      await configure('ideogram', 'fileNameTemplate', '${documentBaseName}-${seed}');
      const original = '\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n\n\\end{document}\n';
      const editor = await openScratch('Fig #1 at 50%  {v2} & ~co_st.tex', original);
      place(editor, 3, 0);
      const figure = await insertHere('Growth chart', { seed: 4242 });
      assert.strictEqual(figure.name, 'Fig #1 at 50%  {v2} & ~co_st-4242.jpg');
      const written =
        'Fig \\csname c_hash_str\\endcsname 1 at 50\\csname c_percent_str\\endcsname \\space \\space ' +
        '\\csname c_left_brace_str\\endcsname v2\\csname c_right_brace_str\\endcsname \\space \\string& ' +
        '\\string~co_st-4242.jpg';
      assert.strictEqual(
        editor.document.getText(),
        `\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n\\begin{figure}[htbp]\n  \\centering\n  \\includegraphics[width=\\linewidth]{../assets/${written}}\n  \\caption{Growth chart}\n\\end{figure}\n\\end{document}\n`,
      );
      await editor.document.save();

      // TeX itself opens the saved image through the inserted link, where a TeX is installed. The document is
      // compiled as a copy beside it: TeX reads its own command line as TeX, where this document's name means much.
      const folder = path.dirname(editor.document.uri.fsPath);
      if (spawnSync('pdflatex', ['--version'], { stdio: 'ignore' }).status === 0) {
        fs.writeFileSync(path.join(folder, 'latex-check.tex'), editor.document.getText());
        const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'latex-check.tex'], {
          cwd: folder,
          encoding: 'utf8',
          env: { ...process.env, max_print_line: '100000' },
        });
        const log = fs.readFileSync(path.join(folder, 'latex-check.log'), 'utf8');
        // The copy links the image too: gone before Find Unused Images looks.
        for (const file of fs.readdirSync(folder).filter((name) => name.startsWith('latex-check.')))
          fs.rmSync(path.join(folder, file));
        assert.strictEqual(
          run.status,
          0,
          log
            .split('\n')
            .filter((line) => line.startsWith('!'))
            .join('\n'),
        );
        assert.match(
          log,
          /^File: \.\.\/assets\/Fig #1 at 50% {2}\{v2\} & ~co_st-4242\.jpg Graphic file \(type jpg\)$/m,
        );
      } else {
        console.log('      pdflatex check skipped: pdflatex is not installed (apt-get install texlive-latex-base)');
      }

      // The name appears nowhere as written, so only reading the link as TeX does shows the image is used.
      type Search = { unused: string[]; notOffered: string[] };
      const search = () => vscode.commands.executeCommand<Search>('ideogram.findUnusedImages', { dryRun: true });
      const linked = await search();
      assert.ok(![...linked.unused, ...linked.notOffered].includes(figure.uri), 'the image linked from LaTeX is used');
      await undoRestores(editor, original);
      await editor.document.save();
      await waitFor(
        async () => ((await search()).unused.includes(figure.uri) ? true : undefined),
        'the image to be unused once its link is gone',
        20_000,
      );
    });

    it('ideogram.linkTemplates, markdownImageSyntax and imageWidth shape the link', async () => {
      await configure('ideogram', 'linkTemplates', {
        html: '<figure><img src="${path}" alt="${alt}"><figcaption>${prompt}</figcaption></figure>',
      });
      const html = await openScratch('figure.html', '');
      const figure = await insertHere('Fish & chips');
      assert.strictEqual(
        html.document.getText(),
        `<figure><img src="../assets/${figure.name}" alt="Fish &amp; chips"><figcaption>Fish &amp; chips</figcaption></figure>`,
      );

      await configure('ideogram', 'markdownImageSyntax', 'html');
      await configure('ideogram', 'imageWidth', 400);
      const markdown = await openScratch('sized.md', '');
      const sized = await insertHere('Sized');
      assert.strictEqual(markdown.document.getText(), `<img src="../assets/${sized.name}" alt="Sized" width="400">`);
    });
  });

  describe('from the gallery', () => {
    const image = () => vscode.Uri.joinPath(workspaceFolder().uri, 'assets', 'a cat (1).png');

    it('a copied gallery link pastes into reStructuredText and HTML as their own link', async () => {
      api.galleryPaste.rememberCopiedImage('![A cat](assets/a%20cat%20%281%29.png)', image(), 'A cat');
      const transfer = new vscode.DataTransfer();
      transfer.set('text/plain', new vscode.DataTransferItem('![A cat](assets/a%20cat%20%281%29.png)'));
      const token = new vscode.CancellationTokenSource().token;
      const rst = (await openScratch('paste.rst', '')).document;
      assert.strictEqual(
        await api.galleryPaste.galleryPasteText(rst, transfer, token),
        '.. image:: ../assets/a\\ cat\\ (1).png\n   :alt: A cat',
      );
      const html = (await openScratch('paste.html', '')).document;
      assert.strictEqual(
        await api.galleryPaste.galleryPasteText(html, transfer, token),
        '<img src="../assets/a%20cat%20%281%29.png" alt="A cat">',
      );
      const other = new vscode.DataTransfer();
      other.set('text/plain', new vscode.DataTransferItem('some other text'));
      assert.strictEqual(
        await api.galleryPaste.galleryPasteText(html, other, token),
        undefined,
        'other text pastes as text',
      );
    });

    it('dropping a gallery image into AsciiDoc and Vue writes their links', async () => {
      const transfer = new vscode.DataTransfer();
      transfer.set(
        GALLERY_DRAG_MIME,
        new vscode.DataTransferItem(JSON.stringify({ uri: image().toString(), prompt: 'A cat' })),
      );
      const token = new vscode.CancellationTokenSource().token;
      const drop = async (name: string) => {
        const document = (await openScratch(name, '')).document;
        const edit = (await api.galleryDrop.provideDocumentDropEdits(
          document,
          new vscode.Position(0, 0),
          transfer,
          token,
        )) as vscode.DocumentDropEdit;
        return typeof edit.insertText === 'string' ? edit.insertText : edit.insertText.value;
      };
      assert.strictEqual(await drop('drop.adoc'), 'image:../assets/a%20cat%20%281%29.png[A cat]');
      assert.strictEqual(await drop('Drop.vue'), '<img src="../assets/a%20cat%20%281%29.png" alt="A cat" />');
    });
  });

  it('Find Unused Generated Images lists the images no document links to, in any format', async () => {
    const generate = (prompt: string) => vscode.commands.executeCommand<Result>('ideogram.generateImage', { prompt });
    const linkedImage = await generate('Linked from AsciiDoc');
    const mentionedImage = await generate('Named in a script');
    const namedInPython = await generate('Named in Python');
    const unusedImage = await generate('Nobody links me');
    const linkedName = path.basename(vscode.Uri.parse(linkedImage.uri).fsPath);
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(workspaceFolder().uri, SCRATCH, 'deep', 'uses.adoc'),
      Buffer.from(`= Uses\n\nimage::../../assets/${encodeURIComponent(linkedName)}[x]\n`),
    );
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(workspaceFolder().uri, SCRATCH, 'build.js'),
      Buffer.from(`copy('${path.basename(vscode.Uri.parse(mentionedImage.uri).fsPath)}');\n`),
    );
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(workspaceFolder().uri, SCRATCH, 'app', 'views.py'),
      Buffer.from(`LOGO = "static/${path.basename(vscode.Uri.parse(namedInPython.uri).fsPath)}"\n`),
    );
    const found = await waitFor(
      async () => {
        const result = await vscode.commands.executeCommand<{ unused: string[] }>('ideogram.findUnusedImages', {
          dryRun: true,
        });
        return result.unused.includes(unusedImage.uri) ? result : undefined;
      },
      'the gallery to record the new images',
      20_000,
    );
    assert.ok(!found.unused.includes(linkedImage.uri), 'an image linked from AsciiDoc is used');
    assert.ok(!found.unused.includes(mentionedImage.uri), 'an image whose name appears in a document counts as used');
    assert.ok(!found.unused.includes(namedInPython.uri), 'an image named in source code counts as used');
  });
});
