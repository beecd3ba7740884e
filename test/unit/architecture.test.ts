// The picture to keep: src/core at the bottom, the host areas above it, extension.ts on top, and no import that
// runs back up. Every import of src/ (types included: a type import ties two files as much as a value does) is
// read from the sources, and a loop among them fails with the files and names that make it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const SRC = path.resolve(__dirname, '../../../src');

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/** file → the files of src/ it imports (or re-exports from). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
    const targets: string[] = [];
    for (const statement of source.statements) {
      const specifier =
        ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      targets.push(path.resolve(path.dirname(file), `${specifier.text}.ts`));
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The loops of the graph (strongly connected parts of more than one file, or a file importing itself). */
function loops(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (stack.includes(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const part: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = member === file ? undefined : stack.pop())
      part.push(member);
    if (part.length > 1 || graph.get(file)?.includes(file)) found.push(part);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the structure of src/', () => {
  const graph = importGraph(sourceFiles(SRC));
  const relative = (file: string) => path.relative(SRC, file);

  it('has no import loop: every file stands above all it imports', () => {
    const described = loops(graph).map((part) => part.map(relative).sort().join(' → '));
    assert.deepEqual(described, []);
  });

  it('src/core imports only src/core', () => {
    const outside = [...graph].flatMap(([file, targets]) =>
      relative(file).startsWith('core/')
        ? targets
            .filter((target) => !relative(target).startsWith('core/'))
            .map((target) => `${relative(file)} → ${relative(target)}`)
        : [],
    );
    assert.deepEqual(outside, []);
  });

  it('the bootstrap (loaded at every start) never loads the models: only the extension bundle does', () => {
    // Value imports only: a type import is erased from the bundle.
    const valueImports = (file: string): string[] => {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
      return source.statements.flatMap((statement) =>
        ts.isImportDeclaration(statement) &&
        !statement.importClause?.isTypeOnly &&
        ts.isStringLiteral(statement.moduleSpecifier) &&
        statement.moduleSpecifier.text.startsWith('.')
          ? [path.resolve(path.dirname(file), `${statement.moduleSpecifier.text}.ts`)]
          : [],
      );
    };
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      valueImports(file).forEach(visit);
    };
    visit(path.join(SRC, 'bootstrap.ts'));
    assert.deepEqual(
      [...reached].map(relative).filter((file) => file.startsWith('core/models/') || file === 'core/request.ts'),
      [],
    );
    assert.ok(
      [...reached].map(relative).includes('core/jobPaths.ts'),
      "the walk follows the bootstrap's imports (it is not blind)",
    );
  });

  it('would notice a loop (the check is not blind)', () => {
    const a = path.join(SRC, 'a.ts');
    const b = path.join(SRC, 'b.ts');
    const c = path.join(SRC, 'c.ts');
    assert.deepEqual(
      loops(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ).map((part) => part.length),
      [3],
    );
    assert.deepEqual(
      loops(
        new Map([
          [a, [b]],
          [b, []],
          [c, [a, b]],
        ]),
      ),
      [],
    );
  });
});

describe('what the code relies on lives in the repository', () => {
  const ROOT = path.resolve(SRC, '..');
  const tracked = (folder: string): string[] =>
    fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory())
        return ['node_modules', 'out', 'dist', 'test-artifacts', '.work', '.git'].includes(entry.name)
          ? []
          : tracked(file);
      return /\.(ts|mjs|cjs|js|md|sh|json)$/.test(entry.name) ? [file] : [];
    });

  it('no source, test, script or document sends its reader to notes outside it (the API contract is in docs/)', () => {
    const outside = /(?:\.\.\/shared\/|\/work\/shared|(?<![\w./-])shared\/segmind)/;
    const offenders = ['src', 'media', 'test', 'scripts', 'bench', 'docs']
      .flatMap((folder) => tracked(path.join(ROOT, folder)))
      .concat(
        ['README.md', 'ARCHITECTURE.md', 'CHANGELOG.md']
          .map((file) => path.join(ROOT, file))
          .filter((file) => fs.existsSync(file)),
      )
      .filter((file) =>
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .some((line) => outside.test(line) && !line.includes('outside = /')),
      )
      .map((file) => path.relative(ROOT, file));
    assert.deepEqual(offenders, []);
    for (const contract of ['docs/segmind-ideogram-api.md', 'docs/segmind-async-api.md', 'docs/segmind-models.md']) {
      assert.ok(fs.existsSync(path.join(ROOT, contract)), `${contract} is in the repository`);
    }
  });
});
