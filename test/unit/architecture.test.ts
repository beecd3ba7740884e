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

/**
 * The areas of src/: the pure core, the shared modules every feature may use, and the features. A file directly in
 * src/ (bootstrap.ts, extension.ts) is the wiring: it may import anything.
 */
const SHARED = ['core', 'common', 'links'];
const FEATURES = ['generation', 'gallery', 'recipes', 'spending', 'sidebar'];
const areaOf = (relativeFile: string): string =>
  relativeFile.includes(path.sep) ? relativeFile.split(path.sep)[0] : relativeFile;

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

  it('a feature imports only src/core, the shared modules and itself; what it needs of another feature is a port it declares', () => {
    const crossings = [...graph].flatMap(([file, targets]) => {
      const area = areaOf(relative(file));
      if (!FEATURES.includes(area)) return [];
      return targets
        .filter((target) => {
          const other = areaOf(relative(target));
          return other !== area && !SHARED.includes(other);
        })
        .map((target) => `${relative(file)} → ${relative(target)}`);
    });
    assert.deepEqual(crossings, []);
  });

  it('has at most 10 entries at the top of src/ and at most 6 floors of areas', () => {
    const entries = fs.readdirSync(SRC);
    assert.ok(entries.length <= 10, `src/ holds ${entries.length} entries: ${entries.join(', ')}`);
    assert.deepEqual(
      entries.filter((entry) => !entry.endsWith('.ts') && !FEATURES.includes(entry) && !SHARED.includes(entry)),
      [],
      'every folder of src/ is core, a shared module or a feature named here',
    );
    // An area's floor: 1 + the highest floor of the areas it imports (core is floor 1).
    const areaImports = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const area = areaOf(relative(file));
      const set = areaImports.get(area) ?? new Set<string>();
      for (const target of targets) if (areaOf(relative(target)) !== area) set.add(areaOf(relative(target)));
      areaImports.set(area, set);
    }
    const floors = new Map<string, number>();
    const floorOf = (area: string, seen: string[] = []): number => {
      if (floors.has(area)) return floors.get(area)!;
      assert.ok(!seen.includes(area), `areas import each other: ${[...seen, area].join(' → ')}`);
      const below = [...(areaImports.get(area) ?? [])].map((other) => floorOf(other, [...seen, area]));
      const floor = 1 + Math.max(0, ...below);
      floors.set(area, floor);
      return floor;
    };
    const highest = Math.max(...[...areaImports.keys()].map((area) => floorOf(area)));
    assert.ok(highest <= 6, `${highest} floors: ${[...floors].map(([area, floor]) => `${area} ${floor}`).join(', ')}`);
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
