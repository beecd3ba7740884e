// package.json is code that no compiler checks: these tests hold its contributions to the source, the
// translations, the README and the packaged .vsix. Plain Node, no VS Code.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { LANGUAGES_LOADED_ON_OPEN, SUPPORTED_LANGUAGES, SUPPORTED_LANGUAGES_WHEN } from '../../src/core/linkFormats';
import { wordsOf } from '../../src/core/models/options';
import { ALL_MODELS, DEFAULT_MODEL, MODELS } from '../../src/core/models/registry';
import { MAGIC_PROMPT_OPTIONS, RESOLUTIONS, STYLE_TYPES } from '../../src/core/request';
import { checkSetting, REQUEST_TIMEOUT_SECONDS, SETTINGS, type SettingKey } from '../../src/core/settingsTable';
import {
  API_KEY_SECRET,
  COMMAND,
  CONTEXT_KEY,
  HOVER_COMMANDS,
  SIDEBAR_VIEW,
  STATE_KEY,
  STATUS_BAR_ITEM,
} from '../../src/common/ids';

function findRoot(): string {
  let directory = __dirname;
  while (!fs.existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('package.json not found above ' + __dirname);
    directory = parent;
  }
  return directory;
}

const ROOT = findRoot();
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

interface Command {
  command: string;
  title?: string;
  category?: string;
  icon?: unknown;
  enablement?: string;
}
interface MenuItem {
  command?: string;
  submenu?: string;
  when?: string;
}
interface Keybinding {
  command: string;
  key: string;
  mac?: string;
  when?: string;
}
interface Setting {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  enumDescriptions?: string[];
  enumItemLabels?: string[];
  markdownDescription?: string;
  description?: string;
  order?: number;
  minimum?: number;
  maximum?: number;
  scope?: string;
  minLength?: number;
  maxLength?: number;
}
interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: unknown; svg?: string };
  completionEvents?: string[];
}
interface Manifest {
  main: string;
  activationEvents?: string[];
  icon: string;
  l10n?: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  contributes: {
    commands: Command[];
    configuration: { properties: Record<string, Setting> } | Array<{ properties: Record<string, Setting> }>;
    menus?: Record<string, MenuItem[]>;
    keybindings?: Keybinding[];
    viewsWelcome?: Array<{ view: string; contents: string; when?: string }>;
    walkthroughs?: Array<{ id: string; title: string; description: string; steps: WalkthroughStep[] }>;
    viewsContainers?: Record<string, Array<{ id: string; title: string; icon: string }>>;
    views?: Record<string, Array<{ id: string; name: string; type?: string; icon?: string }>>;
  };
}

const manifest = readJson('package.json') as unknown as Manifest;
const contributes = manifest.contributes;
const nls = readJson('package.nls.json') as Record<string, string>;
const nlsGerman = readJson('package.nls.de.json') as Record<string, string>;
const declaredCommands = new Set(contributes.commands.map((command) => command.command));
const settings: Record<string, Setting> = Object.assign(
  {},
  ...(Array.isArray(contributes.configuration) ? contributes.configuration : [contributes.configuration]).map(
    (section) => section.properties,
  ),
);

/** VS Code's own commands that walkthroughs and welcome views may link to. */
const BUILT_IN_COMMANDS = new Set([
  'workbench.action.files.newUntitledFile',
  'workbench.action.quickOpen',
  'workbench.action.openSettings',
  'workbench.action.openWalkthrough',
  'workbench.action.files.openFolder',
]);

/** Resolves `%key%` through package.nls.json, as VS Code does. */
const english = (value: string): string => value.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? value);

/** Every `command:id` link in a Markdown string (welcome views, walkthrough steps). */
function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\(command:([\w.-]+)/g)].map((match) => match[1] ?? '');
}

function sourceFiles(directory: string): string[] {
  const entries = fs.readdirSync(path.join(ROOT, directory), { withFileTypes: true });
  return entries.flatMap((entry) => {
    const relative = path.posix.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

const hostSources = sourceFiles('src').map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }));

/** The first argument of every `l10n.t(…)` in the host code, as the string VS Code looks up, or the call's location when it is not a literal. */
function l10nMessages(): { messages: Map<string, string>; notLiteral: string[] } {
  const messages = new Map<string, string>();
  const notLiteral: string[] = [];
  for (const { file, text } of hostSources) {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 't' &&
        /(^|\.)l10n$/.test(node.expression.expression.getText(source))
      ) {
        const [first] = node.arguments;
        const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)))
          messages.set(first.text, where);
        // The one call with a variable: the words of the models, which the registry lists (added below).
        else if (file.replace(/\\/g, '/') === 'src/common/modelWords.ts' && first && ts.isIdentifier(first)) return;
        else if (first && ts.isObjectLiteralExpression(first)) {
          const message = first.properties.find((property) => property.name?.getText(source) === 'message');
          if (message && ts.isPropertyAssignment(message) && ts.isStringLiteralLike(message.initializer))
            messages.set(message.initializer.text, where);
          else notLiteral.push(where);
        } else notLiteral.push(where);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  for (const model of ALL_MODELS)
    for (const word of wordsOf(model)) messages.set(word, `src/core/models (${model.slug})`);
  return { messages, notLiteral };
}

/** `{0}`-style placeholders, sorted: a translation must keep every one. */
const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((match) => match[0]).sort();

describe('package.json contributions', () => {
  describe('commands', () => {
    it('every command has a title and the category "Ideogram"', () => {
      for (const command of contributes.commands) {
        assert.ok(command.title && english(command.title).trim(), `${command.command} has a title`);
        assert.equal(command.category, 'Ideogram', `${command.command} has the category "Ideogram"`);
        assert.match(command.command, /^ideogram\./, `${command.command} is in the ideogram namespace`);
      }
    });

    it('every declared command is registered in src (no "command not found")', () => {
      // Registered by id: `registerCommand(COMMAND.name, …)` (src/common/ids.ts), or through the hover's own table.
      const byName = (name: string) =>
        (COMMAND as Record<string, string>)[name] ?? (HOVER_COMMANDS as Record<string, string>)[name];
      const registered = new Set(
        hostSources.flatMap(({ text }) =>
          [...text.matchAll(/registerCommand\(\s*(?:COMMAND|HOVER_COMMANDS)\.(\w+)/g)].map((match) =>
            byName(match[1] ?? ''),
          ),
        ),
      );
      for (const command of declaredCommands)
        assert.ok(registered.has(command), `${command} is declared in package.json but never registered`);
    });

    it('src/common/ids.ts holds every contributed id, and nothing else names one', () => {
      const ids = new Set<string>(Object.values(COMMAND));
      for (const command of declaredCommands)
        assert.ok(ids.has(command), `${command} is in package.json but not in COMMAND (src/common/ids.ts)`);
      // What COMMAND has beyond the manifest is run only by the image hover's links.
      assert.deepEqual(
        [...ids].filter((id) => !declaredCommands.has(id)).sort(),
        Object.values(HOVER_COMMANDS)
          .filter((id) => !declaredCommands.has(id))
          .sort(),
      );
      const views = Object.values(contributes.views ?? {})
        .flat()
        .map((view) => view.id);
      assert.deepEqual(views, [SIDEBAR_VIEW]);
      const whenClauses = JSON.stringify([contributes.menus, contributes.viewsWelcome, contributes.keybindings]);
      for (const key of Object.values(CONTEXT_KEY))
        assert.ok(whenClauses.includes(key), `the context key ${key} is tested by a when clause`);
      for (const { file, text } of hostSources) {
        if (file.endsWith(path.join('src', 'common', 'ids.ts'))) continue;
        for (const [literal] of text.matchAll(/['"]ideogram\.(?:[a-z][\w]*)['"]/gi)) {
          const id = literal.slice(1, -1);
          assert.ok(
            ![
              ...ids,
              SIDEBAR_VIEW,
              ...Object.values(CONTEXT_KEY),
              ...Object.values(STATE_KEY),
              API_KEY_SECRET,
              STATUS_BAR_ITEM,
            ].includes(id),
            `${file} names ${id} itself: import it from src/common/ids.ts`,
          );
        }
      }
    });

    it('every menu item and keybinding points to a declared command', () => {
      for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
        for (const item of items) {
          if (item.command)
            assert.ok(declaredCommands.has(item.command), `menus.${menu}: ${item.command} is not declared`);
        }
      }
      for (const keybinding of contributes.keybindings ?? []) {
        assert.ok(
          declaredCommands.has(keybinding.command),
          `keybinding ${keybinding.key}: ${keybinding.command} is not declared`,
        );
      }
    });

    it('the command palette hides what needs a Markdown editor or a stored key', () => {
      const palette = new Map((contributes.menus?.commandPalette ?? []).map((item) => [item.command, item.when]));
      assert.equal(palette.get('ideogram.insertImage'), SUPPORTED_LANGUAGES_WHEN);
      assert.match(palette.get('ideogram.clearApiKey') ?? '', /ideogram\.hasApiKey/);
    });

    it('"Generate Image Here" shows and works exactly in the languages that have a link format', () => {
      const insert = contributes.commands.find((command) => command.command === 'ideogram.insertImage');
      assert.equal(insert?.enablement, `${SUPPORTED_LANGUAGES_WHEN} && !editorReadonly`);
      const contextMenu = (contributes.menus?.['editor/context'] ?? []).find(
        (item) => item.command === 'ideogram.insertImage',
      );
      assert.equal(contextMenu?.when, SUPPORTED_LANGUAGES_WHEN);
      for (const language of SUPPORTED_LANGUAGES)
        assert.ok(
          new RegExp(SUPPORTED_LANGUAGES_WHEN.replace(/^editorLangId =~ \/|\/$/g, '')).test(language),
          language,
        );
    });

    it('the extension loads as a document of a writing format opens, and only then (not for code files)', () => {
      const onLanguage = (manifest.activationEvents ?? [])
        .filter((event) => event.startsWith('onLanguage:'))
        .map((event) => event.slice('onLanguage:'.length));
      assert.deepEqual(onLanguage, [...LANGUAGES_LOADED_ON_OPEN]);
      for (const language of LANGUAGES_LOADED_ON_OPEN) assert.ok(SUPPORTED_LANGUAGES.includes(language), language);
    });

    it("Generate has a keybinding that does not take over VS Code's Chat (Ctrl+Alt+I) or developer tools (Cmd+Alt+I)", () => {
      const generate = (contributes.keybindings ?? []).find(
        (keybinding) => keybinding.command === 'ideogram.generateImage',
      );
      assert.ok(generate, 'ideogram.generateImage has a keybinding');
      assert.notEqual(generate.key, 'ctrl+alt+i');
      assert.notEqual(generate.mac, 'cmd+alt+i');
    });
  });

  describe('first run', () => {
    it('welcome views and walkthrough steps link only to declared (or built-in) commands', () => {
      const links = [
        ...(contributes.viewsWelcome ?? []).flatMap((view) => commandLinks(english(view.contents))),
        ...(contributes.walkthroughs ?? []).flatMap((walkthrough) =>
          walkthrough.steps.flatMap((step) => commandLinks(english(step.description))),
        ),
      ];
      assert.ok(links.length >= 3, 'the walkthrough and the welcome view have command buttons');
      for (const command of links)
        assert.ok(
          declaredCommands.has(command) || BUILT_IN_COMMANDS.has(command),
          `command:${command} is not declared`,
        );
    });

    it('the sidebar shows a welcome with "Set API Key" while no key is set', () => {
      const welcome = (contributes.viewsWelcome ?? []).find((view) => view.view === 'ideogram.generator');
      assert.ok(welcome, 'viewsWelcome for ideogram.generator');
      assert.equal(welcome.when, '!ideogram.hasApiKey');
      assert.ok(commandLinks(english(welcome.contents)).includes('ideogram.setApiKey'));
    });

    it('the walkthrough sets the key, generates an image and inserts it into Markdown, with pictures that exist', () => {
      const [walkthrough] = contributes.walkthroughs ?? [];
      assert.ok(walkthrough, 'a walkthrough');
      assert.deepEqual(
        walkthrough.steps.map((step) => step.id),
        ['setApiKey', 'generateImage', 'insertIntoMarkdown'],
      );
      assert.deepEqual(
        walkthrough.steps.map((step) => step.completionEvents),
        [['onContext:ideogram.hasApiKey'], ['onCommand:ideogram.generateImage'], ['onCommand:ideogram.insertImage']],
      );
      for (const step of walkthrough.steps) {
        const media = step.media.markdown;
        assert.ok(media && fs.existsSync(path.join(ROOT, media)), `${step.id}: ${media} exists`);
        const markdown = fs.readFileSync(path.join(ROOT, media), 'utf8');
        const images = [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
        assert.ok(images.length > 0, `${media} shows a picture`);
        for (const image of images)
          assert.ok(fs.existsSync(path.join(ROOT, path.dirname(media), image)), `${media}: ${image} exists`);
      }
    });

    it('the icon is a 128×128 PNG and every icon file named in package.json exists', () => {
      const png = fs.readFileSync(path.join(ROOT, manifest.icon));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
      const containers = Object.values(contributes.viewsContainers ?? {}).flat();
      for (const container of containers)
        assert.ok(fs.existsSync(path.join(ROOT, container.icon)), `${container.id}: ${container.icon} exists`);
    });
  });

  describe('settings', () => {
    it('package.json declares exactly the settings of the table (src/core/settingsTable.ts), and Settings reads each', () => {
      assert.deepEqual(
        Object.keys(settings).sort(),
        Object.keys(SETTINGS)
          .map((key) => `ideogram.${key}`)
          .sort(),
      );
      const reader = hostSources.find(({ file }) => file === 'src/common/settings.ts')?.text ?? '';
      for (const key of Object.keys(SETTINGS))
        assert.ok(reader.includes(`this.value('${key}'`), `Settings (src/common/settings.ts) reads ideogram.${key}`);
    });

    it("each setting's type, default, choices, range and scope in package.json are the table's", () => {
      const facts = ['type', 'default', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'scope'] as const;
      for (const [key, row] of Object.entries(SETTINGS)) {
        const declared = settings[`ideogram.${key}`] as Record<string, unknown> | undefined;
        for (const fact of facts)
          assert.deepEqual(
            declared?.[fact],
            (row as Record<string, unknown>)[fact],
            `ideogram.${key}: package.json's "${fact}" is the table's`,
          );
      }
    });

    it("the table's defaults are values its own schemas accept, and a value out of range falls back to the default", () => {
      for (const [key, row] of Object.entries(SETTINGS)) {
        const settingKey = key as SettingKey;
        assert.deepEqual(checkSetting(settingKey, row.default), { value: row.default, rejected: false }, key);
        assert.deepEqual(checkSetting(settingKey, undefined), { value: row.default, rejected: false }, key);
        assert.deepEqual(checkSetting(settingKey, Symbol.for('nonsense')), { value: row.default, rejected: true }, key);
      }
      assert.deepEqual(checkSetting('requestTimeoutSeconds', 9), { value: 120, rejected: true });
      assert.deepEqual(checkSetting('requestTimeoutSeconds', 600), { value: 600, rejected: false });
      assert.deepEqual(checkSetting('imageWidth', 12.5), { value: 0, rejected: true });
      assert.deepEqual(checkSetting('defaultNegativePrompt', 'x'.repeat(1001)), { value: '', rejected: true });
      assert.deepEqual(checkSetting('assetsFolder', ''), { value: 'assets', rejected: true });
      assert.deepEqual(checkSetting('dailyCreditLimit', -1), { value: null, rejected: true });
      assert.deepEqual(checkSetting('dailyCreditLimit', null), { value: null, rejected: false });
      assert.deepEqual(checkSetting('defaultModel', 'ideogram-99'), { value: DEFAULT_MODEL.slug, rejected: true });
    });

    it("the V2-era generation defaults are the default model's own (src/core/models)", () => {
      const defaultOf = (name: string) => {
        const option = DEFAULT_MODEL.options.find((each) => each.name === name);
        return option?.kind === 'enum' ? option.default : undefined;
      };
      assert.equal(SETTINGS.defaultStyleType.default, defaultOf('style_type'));
      assert.equal(SETTINGS.defaultResolution.default, defaultOf('resolution'));
      assert.equal(SETTINGS.defaultMagicPrompt.default, defaultOf('magic_prompt_option'));
      assert.equal(SETTINGS.defaultModel.default, DEFAULT_MODEL.slug);
    });

    it('only src/common/settings.ts reads the configuration (and src/links/imageDestination.ts, markdown.copyFiles)', () => {
      const readers = hostSources
        .filter(({ text }) => text.includes('getConfiguration('))
        .map(({ file }) => file)
        .sort();
      assert.deepEqual(readers, ['src/common/settings.ts', 'src/links/imageDestination.ts']);
      const markdownReader = hostSources.find(({ file }) => file === 'src/links/imageDestination.ts')?.text ?? '';
      for (const [call] of markdownReader.matchAll(/getConfiguration\([^)]*\)/g))
        assert.match(call, /^getConfiguration\('markdown'/, 'src/links/imageDestination.ts reads markdown.* only');
    });

    it('every setting has a Markdown description and an order; enums are described; numbers have a range', () => {
      for (const [key, setting] of Object.entries(settings)) {
        assert.ok(setting.markdownDescription, `${key} has a markdownDescription`);
        assert.equal(typeof setting.order, 'number', `${key} has an order`);
        if (setting.enum) {
          const labels = setting.enumDescriptions ?? setting.enumItemLabels;
          assert.equal(labels?.length, setting.enum.length, `${key}: one description or label per enum value`);
          assert.ok(setting.enum.includes(setting.default), `${key}: the default is one of the values`);
        }
        if (setting.type === 'number' || setting.type === 'integer') {
          assert.ok(
            setting.minimum !== undefined && setting.maximum !== undefined,
            `${key} has a minimum and a maximum`,
          );
        }
      }
    });

    it("the model choices (setting and Copilot tool) are exactly the registry's, labelled with their names", () => {
      const model = settings['ideogram.defaultModel'] as
        { enum?: string[]; enumItemLabels?: string[]; default?: unknown } | undefined;
      assert.deepEqual(
        model?.enum,
        MODELS.map((each) => each.slug),
      );
      assert.deepEqual(
        model?.enumItemLabels,
        MODELS.map((each) => each.displayName),
      );
      assert.equal(model?.default, DEFAULT_MODEL.slug);
      const tools = (
        manifest as unknown as {
          contributes: {
            languageModelTools: Array<{
              inputSchema: { properties: Record<string, { enum?: string[]; description?: string }> };
            }>;
          };
        }
      ).contributes.languageModelTools;
      const toolModel = tools[0].inputSchema.properties.model;
      assert.deepEqual(
        toolModel.enum,
        MODELS.map((each) => each.slug),
      );
      // The tool's description tells the agent each model's own option names.
      for (const each of MODELS) {
        for (const option of each.options.filter(
          (candidate) =>
            candidate.concept !== 'negative-prompt' && candidate.concept !== 'palette' && candidate.concept !== 'seed',
        )) {
          assert.ok(
            toolModel.description?.includes(option.name),
            `the tool's model description names ${each.slug}'s ${option.name}`,
          );
        }
      }
    });

    it("the style, Magic Prompt and resolution choices are exactly the request schema's", () => {
      assert.deepEqual(settings['ideogram.defaultStyleType']?.enum, [...STYLE_TYPES]);
      assert.deepEqual(settings['ideogram.defaultMagicPrompt']?.enum, [...MAGIC_PROMPT_OPTIONS]);
      assert.deepEqual(settings['ideogram.defaultResolution']?.enum, [...RESOLUTIONS]);
    });

    it('a workspace can neither redirect the key nor shorten the timeout (user settings only), nor set the folder or the negative prompt when untrusted', () => {
      assert.equal(SETTINGS.apiEndpoint.scope, 'application');
      assert.equal(SETTINGS.requestTimeoutSeconds.scope, 'machine');
      const userOnly = Object.entries(SETTINGS)
        .filter(([, row]) => 'userOnly' in row)
        .map(([key]) => key);
      assert.deepEqual(userOnly, ['apiEndpoint', 'requestTimeoutSeconds', 'confirmAboveCredits', 'dailyCreditLimit']);
      for (const key of userOnly)
        assert.ok(
          ['application', 'machine'].includes(SETTINGS[key as SettingKey].scope),
          `ideogram.${key} is read from the user's settings only: its scope says so too`,
        );
      const manifestRecord = manifest as unknown as {
        capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
      };
      assert.equal(manifestRecord.capabilities.untrustedWorkspaces.supported, 'limited');
      const restricted = Object.entries(SETTINGS)
        .filter(([, row]) => row.restricted)
        .map(([key]) => `ideogram.${key}`)
        .sort();
      assert.deepEqual(restricted, [
        'ideogram.assetsFolder',
        'ideogram.defaultNegativePrompt',
        'ideogram.linkTemplates',
        'ideogram.requestTimeoutSeconds',
      ]);
      assert.deepEqual(
        manifestRecord.capabilities.untrustedWorkspaces.restrictedConfigurations?.slice().sort(),
        restricted,
      );
    });

    it("the README and the setting's description state the timeout range and the negative prompt cap of the table", () => {
      const timeout = settings['ideogram.requestTimeoutSeconds'];
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      const range = `${REQUEST_TIMEOUT_SECONDS.minimum}–${REQUEST_TIMEOUT_SECONDS.maximum} s`;
      assert.ok(readme.includes(range), `README.md states the timeout range as "${range}"`);
      assert.ok(
        english(timeout?.markdownDescription ?? '').includes(
          `${REQUEST_TIMEOUT_SECONDS.minimum} to ${REQUEST_TIMEOUT_SECONDS.maximum}`,
        ),
        "the setting's description states the range",
      );
      assert.ok(
        readme.includes(`${SETTINGS.defaultNegativePrompt.maxLength} characters`),
        'README.md states the negative prompt cap',
      );
    });
  });

  describe('localisation', () => {
    function nlsKeysIn(value: unknown, found: string[] = []): string[] {
      if (typeof value === 'string') {
        const match = /^%(.+)%$/.exec(value);
        if (match?.[1]) found.push(match[1]);
      } else if (Array.isArray(value)) value.forEach((item) => nlsKeysIn(item, found));
      else if (value && typeof value === 'object') Object.values(value).forEach((item) => nlsKeysIn(item, found));
      return found;
    }

    it('every %key% in package.json exists in package.nls.json and package.nls.de.json, and nothing else does', () => {
      const used = new Set(nlsKeysIn(manifest));
      assert.ok(used.size > 20, 'package.json strings go through package.nls.json');
      for (const key of used) {
        assert.ok(key in nls, `%${key}% is missing from package.nls.json`);
        assert.ok(key in nlsGerman, `%${key}% is missing from package.nls.de.json`);
      }
      assert.deepEqual(
        Object.keys(nls).filter((key) => !used.has(key)),
        [],
        'package.nls.json has no unused keys',
      );
      assert.deepEqual(
        Object.keys(nlsGerman).filter((key) => !(key in nls)),
        [],
        'package.nls.de.json has no keys package.nls.json lacks',
      );
    });

    it('German package strings keep every command link and `code` span', () => {
      for (const [key, value] of Object.entries(nls)) {
        const german = nlsGerman[key] ?? '';
        assert.deepEqual(commandLinks(german), commandLinks(value), `${key}: same command links`);
        assert.deepEqual(
          [...german.matchAll(/`[^`]+`/g)].map((m) => m[0]).sort(),
          [...value.matchAll(/`[^`]+`/g)].map((m) => m[0]).sort(),
          `${key}: same code spans`,
        );
      }
    });

    it('every vscode.l10n.t string in src is in l10n/bundle.l10n.json (run `npm run l10n:export` after adding one)', () => {
      assert.equal(manifest.l10n, './l10n');
      const { messages, notLiteral } = l10nMessages();
      assert.deepEqual(notLiteral, [], 'l10n.t is called with a literal message, so it can be extracted');
      const bundle = readJson('l10n/bundle.l10n.json') as Record<string, string>;
      const missing = [...messages.keys()]
        .filter((message) => !(message in bundle))
        .map((message) => `${messages.get(message)}: ${message}`);
      assert.deepEqual(missing, [], 'strings missing from l10n/bundle.l10n.json');
      const stale = Object.keys(bundle).filter((message) => !messages.has(message));
      assert.deepEqual(stale, [], 'strings in l10n/bundle.l10n.json that src no longer uses');
    });

    it('every vscode.l10n.t string in src has a German translation with the same placeholders', () => {
      const { messages } = l10nMessages();
      const german = readJson('l10n/bundle.l10n.de.json') as Record<string, string>;
      const untranslated = [...messages.keys()]
        .filter((message) => !german[message])
        .map((message) => `${messages.get(message)}: ${message}`);
      assert.deepEqual(untranslated, [], 'add these to l10n/bundle.l10n.de.json (VS Code would show them in English)');
      for (const [message, translation] of Object.entries(german)) {
        assert.ok(messages.has(message), `l10n/bundle.l10n.de.json translates a string src no longer uses: ${message}`);
        assert.deepEqual(placeholders(translation), placeholders(message), `placeholders of "${message}"`);
      }
    });
  });

  describe('the README', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

    it('documents every setting and every command', () => {
      for (const key of Object.keys(settings))
        assert.ok(readme.includes(`\`${key}\``), `README.md documents \`${key}\``);
      for (const command of contributes.commands) {
        assert.ok(
          readme.includes(`Ideogram: ${english(command.title ?? '')}`),
          `README.md documents "Ideogram: ${english(command.title ?? '')}"`,
        );
      }
    });

    it('starts with the two commands a newcomer needs, and its images exist', () => {
      const firstScreen = readme.split('\n').slice(0, 30).join('\n');
      assert.ok(firstScreen.includes('npm ci && npm run demo'), 'npm ci && npm run demo near the top');
      assert.ok(firstScreen.includes('npm ci && npm test'), 'npm ci && npm test near the top');
      const prose = readme.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      for (const [, image] of prose.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
        if (image && !/^https?:/.test(image))
          assert.ok(fs.existsSync(path.join(ROOT, image)), `README image ${image} exists`);
      }
    });
  });

  describe('the .vsix', () => {
    it('holds the bundle, media and translations, and no sources, tests, dependencies, build output or source maps', function () {
      this.timeout(60_000);
      // `vsce ls` applies .vscodeignore to the files that exist now, exactly as `vsce package` would. The bundles
      // exist only after a build (not on a fresh clone): stand-ins take their place for the listing, then go.
      const bundles = [manifest.main, './dist/main.js', './dist/webview.js'].map((file) => path.posix.normalize(file));
      const standIns = bundles.filter((file) => !fs.existsSync(path.join(ROOT, file)));
      for (const file of standIns) {
        fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
        fs.writeFileSync(path.join(ROOT, file), '// stand-in for the listing of test/unit/contributions.test.ts\n');
      }
      const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
      let files: string[];
      try {
        files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
      } finally {
        for (const file of standIns) fs.rmSync(path.join(ROOT, file));
        if (standIns.length && fs.readdirSync(path.join(ROOT, 'dist')).length === 0)
          fs.rmdirSync(path.join(ROOT, 'dist'));
      }
      const forbidden = files.filter(
        (file) =>
          /^(src|test|test-artifacts|node_modules|out|bench|scripts|demo|docs|\.ci|\.vscode|\.github|\.work)\//.test(
            file,
          ) ||
          /\.(map|ts|tsbuildinfo|vsix|log)$/.test(file) ||
          /^(tsconfig.*\.json|esbuild\.js|eslint\.config\.mjs|\.mocharc\.json|package-lock\.json|\.gitignore)$/.test(
            file,
          ),
      );
      assert.deepEqual(forbidden, [], 'files that must not be packaged');
      for (const required of [
        'package.json',
        'package.nls.json',
        'package.nls.de.json',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
        'l10n/bundle.l10n.de.json',
        manifest.icon,
        ...(contributes.walkthroughs ?? []).flatMap((walkthrough) =>
          walkthrough.steps.map((step) => step.media.markdown ?? ''),
        ),
      ]) {
        assert.ok(files.includes(required), `${required} is packaged`);
      }
      for (const bundle of bundles) assert.ok(files.includes(bundle), `${bundle} is packaged`);
    });

    it('@types/vscode matches engines.vscode, so the code uses no API newer than it declares', () => {
      assert.equal(manifest.engines.vscode, `^${manifest.devDependencies['@types/vscode']}`);
    });
  });
});
