// The extension's entry point, kept tiny: VS Code loads it at every start (`onStartupFinished`) so that a
// generation cut off by a reload or a crash is resumed without the user doing anything. It loads the extension
// itself (dist/main.js, built from extension.ts) only when there is something to do: a job to resume, a command
// run, the sidebar opened, a language model tool called, or a document of a language the extension serves. Until then it costs a directory
// read and a few registrations.
import { readdirSync } from 'fs';
import { performance } from 'perf_hooks';
import * as path from 'path';
import * as vscode from 'vscode';
import { ACTIVE_JOBS_FOLDER, JOBS_FOLDER } from './core/jobPaths';
import type { Activated } from './extension';

type Main = { activate(context: vscode.ExtensionContext): Activated };
type StandInTool = Required<Activated['tools'][string]>;

/** When this module started running, and how long activate() took: what the extension costs a start (bench). */
const evaluatedAt = performance.now();
const startupTiming: { evaluatedToActivatedMs?: number; activateMs?: number; loadedMain?: boolean } = {};

class LazyExtension implements vscode.Disposable {
  readonly #standIns: vscode.Disposable[] = [];
  #loaded: Activated | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {}

  /** Loads and activates the extension once; the stand-ins step aside first so it can register for real. */
  load(): Activated {
    if (!this.#loaded) {
      this.dispose();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const main = require('./main.js') as Main;
      this.#loaded = main.activate(this.context);
    }
    return this.#loaded;
  }

  get isLoaded(): boolean {
    return this.#loaded !== undefined;
  }

  /** Languages whose documents the extension serves (hover, drop, paste): its `onLanguage:` activation events. */
  #languages(): Set<string> {
    const events: unknown = this.context.extension.packageJSON?.activationEvents;
    return new Set((Array.isArray(events) ? events : []).filter((event): event is string => typeof event === 'string' && event.startsWith('onLanguage:'))
      .map((event) => event.slice('onLanguage:'.length)));
  }

  languageInUse(): boolean {
    const languages = this.#languages();
    return vscode.workspace.textDocuments.some((document) => languages.has(document.languageId));
  }

  /**
   * Stand-ins for every contributed command, webview view and language model tool, and a watch for documents
   * the extension serves. (The bootstrap is already active when a tool is called, so `onLanguageModelTool:`
   * alone would not load the extension: the stand-in does.)
   */
  waitForUse(): void {
    const contributes = this.context.extension.packageJSON?.contributes ?? {};
    const commands: Array<{ command?: unknown }> = Array.isArray(contributes.commands) ? contributes.commands : [];
    for (const { command } of commands) {
      if (typeof command !== 'string') continue;
      this.#standIns.push(vscode.commands.registerCommand(command, (...args: unknown[]) => {
        this.load();
        return vscode.commands.executeCommand(command, ...args);
      }));
    }
    const views: Array<{ id?: unknown; type?: unknown }> = Object.values(contributes.views ?? {}).flat() as Array<{ id?: unknown; type?: unknown }>;
    for (const { id, type } of views) {
      if (type !== 'webview' || typeof id !== 'string') continue;
      this.#standIns.push(vscode.window.registerWebviewViewProvider(id, {
        resolveWebviewView: (view, resolveContext, token) => this.load().webviewViews[id]?.resolveWebviewView(view, resolveContext, token),
      }));
    }
    const tools: Array<{ name?: unknown }> = Array.isArray(contributes.languageModelTools) ? contributes.languageModelTools : [];
    const lm = vscode.lm as unknown as { registerTool?(name: string, tool: StandInTool): vscode.Disposable };
    for (const { name } of tools) {
      if (typeof name !== 'string' || typeof lm.registerTool !== 'function') continue;
      const real = () => this.load().tools[name];
      this.#standIns.push(lm.registerTool(name, {
        prepareInvocation: (options, token) => real()?.prepareInvocation?.(options, token) ?? {},
        invoke: (options, token) => {
          const tool = real();
          if (!tool) throw new Error(`The tool ${name} is not available.`);
          return tool.invoke(options, token);
        },
      }));
    }
    const languages = this.#languages();
    this.#standIns.push(vscode.workspace.onDidOpenTextDocument((document) => {
      if (languages.has(document.languageId)) this.load();
    }));
  }

  dispose(): void {
    for (const standIn of this.#standIns.splice(0)) standIn.dispose();
  }
}

function hasJobsToResume(context: vscode.ExtensionContext): boolean {
  if (context.globalStorageUri.scheme !== 'file') return false;
  try {
    return readdirSync(path.join(context.globalStorageUri.fsPath, JOBS_FOLDER, ACTIVE_JOBS_FOLDER)).some((name) => name.endsWith('.json'));
  } catch {
    return false; // no job was ever started on this machine
  }
}

export function activate(context: vscode.ExtensionContext): unknown {
  const started = performance.now();
  const lazy = new LazyExtension(context);
  context.subscriptions.push(lazy);
  if (hasJobsToResume(context) || lazy.languageInUse()) lazy.load();
  else lazy.waitForUse();
  Object.assign(startupTiming, { activateMs: performance.now() - started, evaluatedToActivatedMs: performance.now() - evaluatedAt, loadedMain: lazy.isLoaded });
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  // The extension's own tests get their testing API; touching it loads the extension like any other use
  // (`then` is what `await` looks at: not a use).
  return new Proxy({}, {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      if (property === 'startupTiming') return { ...startupTiming };
      return (lazy.load().testingApi as Record<string | symbol, unknown> | undefined)?.[property];
    },
  });
}

export function deactivate(): void {}
