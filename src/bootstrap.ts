// The extension's entry point, kept tiny: VS Code loads it at every start (`onStartupFinished`) so that a
// generation cut off by a reload or a crash is resumed without the user doing anything. It loads the extension
// itself (dist/main.js, built from extension.ts) only when there is something to do: a job to resume, a command
// run, the sidebar opened, a language model tool called, or a document of a language the extension serves. Until then it costs a directory
// read and a few registrations.
import { existsSync, readdirSync } from 'fs';
import { join } from 'path';
import * as vscode from 'vscode';
import { CODE_CACHE_FOLDER, type CodeCacheLoad, loadWithCodeCache } from './core/codeCache';
import { ACTIVE_JOBS_FOLDER, JOBS_FOLDER } from './core/jobPaths';
import { WORKSPACE_STATE_KEY } from './common/workspaceStateKeys';
import type { Activated } from './extension';

type Main = { activate(context: vscode.ExtensionContext): Activated };
type StandInTool = Required<Activated['tools'][string]>;

/**
 * What the extension costs a start, for the bench: the module's own evaluation (from the bundle's first line,
 * before its imports, `vscode`'s API object included, are made) and activate(), split into the jobs check and the
 * stand-ins. (`performance` is Node's global: perf_hooks would be one more require.)
 */
declare const ideogramBootstrapStartedAt: number | undefined; // set by the bundle's first line (esbuild.js banner)
const moduleStartedAt = typeof ideogramBootstrapStartedAt === 'number' ? ideogramBootstrapStartedAt : performance.now();
const startupTiming: {
  moduleMs?: number;
  activateMs?: number;
  jobsCheckMs?: number;
  loadedMain?: boolean;
  codeCache?: CodeCacheLoad<Main>['outcome'];
} = {};

class LazyExtension implements vscode.Disposable {
  readonly #standIns: vscode.Disposable[] = [];
  #loaded: Activated | undefined;
  /** Languages whose documents the extension serves (hover, drop, paste): its `onLanguage:` activation events. */
  readonly #languages: Set<string>;

  readonly #context: vscode.ExtensionContext;
  constructor(context: vscode.ExtensionContext) {
    this.#context = context;
    const events: unknown = context.extension.packageJSON?.activationEvents;
    // Plus the languages a setting turned on last time (the alt-text diagnostics), as the extension noted them.
    const also: unknown = context.workspaceState.get(WORKSPACE_STATE_KEY.alsoServedLanguages);
    this.#languages = new Set([
      ...(Array.isArray(events) ? events : [])
        .filter((event): event is string => typeof event === 'string' && event.startsWith('onLanguage:'))
        .map((event) => event.slice('onLanguage:'.length)),
      ...(Array.isArray(also) ? also.filter((language): language is string => typeof language === 'string') : []),
    ]);
  }

  /** Loads and activates the extension once; the stand-ins step aside first so it can register for real. */
  load(): Activated {
    if (!this.#loaded) {
      this.dispose();
      const main = this.#loadMain();
      this.#loaded = main.activate(this.#context);
    }
    return this.#loaded;
  }

  /**
   * dist/main.js, compiled with the code cache in the extension's storage (src/core/codeCache.ts): a new window
   * skips compiling it. Under F5 Node loads it itself, as the debugger expects.
   */
  #loadMain(): Main {
    const storage = this.#context.globalStorageUri;
    if (this.#context.extensionMode === vscode.ExtensionMode.Development || storage.scheme !== 'file') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('./main.js') as Main;
    }
    const load = loadWithCodeCache<Main>(join(__dirname, 'main.js'), join(storage.fsPath, CODE_CACHE_FOLDER));
    startupTiming.codeCache = load.outcome;
    return load.exports;
  }

  get isLoaded(): boolean {
    return this.#loaded !== undefined;
  }

  languageInUse(): boolean {
    return vscode.workspace.textDocuments.some((document) => this.#languages.has(document.languageId));
  }

  /**
   * Stand-ins for every contributed command, webview view and language model tool, and a watch for documents
   * the extension serves. (The bootstrap is already active when a tool is called, so `onLanguageModelTool:`
   * alone would not load the extension: the stand-in does.)
   */
  waitForUse(): void {
    const contributes = this.#context.extension.packageJSON?.contributes ?? {};
    const commands: Array<{ command?: unknown }> = Array.isArray(contributes.commands) ? contributes.commands : [];
    for (const { command } of commands) {
      if (typeof command !== 'string') continue;
      this.#standIns.push(
        vscode.commands.registerCommand(command, (...args: unknown[]) => {
          this.load();
          return vscode.commands.executeCommand(command, ...args);
        }),
      );
    }
    const views: Array<{ id?: unknown; type?: unknown }> = Object.values(contributes.views ?? {}).flat() as Array<{
      id?: unknown;
      type?: unknown;
    }>;
    for (const { id, type } of views) {
      if (type !== 'webview' || typeof id !== 'string') continue;
      this.#standIns.push(
        vscode.window.registerWebviewViewProvider(id, {
          resolveWebviewView: (view, resolveContext, token) =>
            this.load().webviewViews[id]?.resolveWebviewView(view, resolveContext, token),
        }),
      );
    }
    const settings = Object.keys(contributes.configuration?.properties ?? {});
    const tools: Array<{ name?: unknown }> = Array.isArray(contributes.languageModelTools)
      ? contributes.languageModelTools
      : [];
    const lm = vscode.lm as unknown as { registerTool?(name: string, tool: StandInTool): vscode.Disposable };
    for (const { name } of tools) {
      if (typeof name !== 'string' || typeof lm.registerTool !== 'function') continue;
      const real = () => this.load().tools[name];
      this.#standIns.push(
        lm.registerTool(name, {
          prepareInvocation: (options, token) => real()?.prepareInvocation?.(options, token) ?? {},
          invoke: (options, token) => {
            const tool = real();
            if (!tool) throw new Error(`The tool ${name} is not available.`);
            return tool.invoke(options, token);
          },
        }),
      );
    }
    this.#standIns.push(
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (this.#languages.has(document.languageId)) this.load();
      }),
      // A changed setting of the extension's may turn on what needs it (the alt-text diagnostics): it loads.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (settings.some((setting) => event.affectsConfiguration(setting))) this.load();
      }),
    );
  }

  dispose(): void {
    for (const standIn of this.#standIns.splice(0)) standIn.dispose();
  }
}

function hasJobsToResume(context: vscode.ExtensionContext): boolean {
  if (context.globalStorageUri.scheme !== 'file') return false;
  const activeJobs = join(context.globalStorageUri.fsPath, JOBS_FOLDER, ACTIVE_JOBS_FOLDER);
  try {
    // existsSync first: on a machine that never started a job, a throwing readdir costs more than the check.
    return existsSync(activeJobs) && readdirSync(activeJobs).some((name) => name.endsWith('.json'));
  } catch {
    return false; // no job was ever started on this machine
  }
}

export function activate(context: vscode.ExtensionContext): unknown {
  const started = performance.now();
  const lazy = new LazyExtension(context);
  context.subscriptions.push(lazy);
  const jobsToResume = hasJobsToResume(context);
  startupTiming.jobsCheckMs = performance.now() - started;
  if (jobsToResume || lazy.languageInUse()) lazy.load();
  else lazy.waitForUse();
  Object.assign(startupTiming, { activateMs: performance.now() - started, loadedMain: lazy.isLoaded });
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  // The extension's own tests get their testing API; touching it loads the extension like any other use
  // (`then` is what `await` looks at: not a use).
  return new Proxy(
    {},
    {
      get: (_target, property) => {
        if (property === 'then') return undefined;
        if (property === 'startupTiming') return { ...startupTiming };
        return (lazy.load().testingApi as Record<string | symbol, unknown> | undefined)?.[property];
      },
    },
  );
}

export function deactivate(): void {}

startupTiming.moduleMs = performance.now() - moduleStartedAt;
