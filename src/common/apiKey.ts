import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { API_KEY_SECRET, COMMAND, CONTEXT_KEY } from './ids';

const SECRET_KEY = API_KEY_SECRET;
/** Context key for `when` clauses: the sidebar's welcome view and the walkthrough's first step use it. */
export const HAS_API_KEY_CONTEXT = CONTEXT_KEY.hasApiKey;
/**
 * Read only when SecretStorage holds no key, and only in a trusted workspace: lets Codespaces secrets, CI and the
 * demo provide one. In a dev container the environment can come from the repository (devcontainer.json), so a
 * repository opened in Restricted Mode must not be able to plant a key (and have the user's prompts billed to it
 * or sent with it); and it is never used silently: the log says so, and a message the first time it is used.
 */
export const API_KEY_ENVIRONMENT_VARIABLE = 'IDEOGRAM_API_KEY';

/** The Segmind API key, kept in SecretStorage and nowhere else. */
export class ApiKeyStore extends Disposable {
  #cached: string | undefined;
  /** Whether the cached key came from the environment variable rather than SecretStorage. */
  #fromEnvironment = false;
  #toldAboutEnvironment = false;

  readonly #secrets: vscode.SecretStorage;
  readonly #log: vscode.LogOutputChannel;
  constructor(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel) {
    super();
    this.#secrets = secrets;
    this.#log = log;
    this.register(
      secrets.onDidChange((event) => {
        if (event.key !== SECRET_KEY) return;
        this.#cached = undefined;
        void this.#updateContext();
      }),
    );
    // Trusting the folder makes the environment's key usable.
    this.register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.#cached = undefined;
        void this.#updateContext();
      }),
    );
    void this.#updateContext();
  }

  /** Publishes whether a key is available (SecretStorage or the environment variable) as a context key. */
  async #updateContext(): Promise<void> {
    const hasKey = (await this.get()) !== undefined;
    await vscode.commands.executeCommand('setContext', HAS_API_KEY_CONTEXT, hasKey);
  }

  async get(): Promise<string | undefined> {
    if (this.#cached === undefined) {
      const stored = await this.#secrets.get(SECRET_KEY);
      const environment = stored === undefined ? this.#environmentKey() : undefined;
      this.#cached = stored ?? environment ?? '';
      this.#fromEnvironment = stored === undefined && environment !== undefined;
    }
    return this.#cached || undefined;
  }

  /** `IDEOGRAM_API_KEY`, unless empty or the workspace is not trusted; either way the log says what happened. */
  #environmentKey(): string | undefined {
    const value = process.env[API_KEY_ENVIRONMENT_VARIABLE]?.trim();
    if (!value) return undefined;
    if (!vscode.workspace.isTrusted) {
      this.#log.warn(
        `${API_KEY_ENVIRONMENT_VARIABLE} is set but not used: this workspace is not trusted (Restricted Mode), and its environment could come from the repository. Run "Ideogram: Set API Key", or trust the folder.`,
      );
      return undefined;
    }
    this.#log.info(
      `Using the API key from the ${API_KEY_ENVIRONMENT_VARIABLE} environment variable (SecretStorage holds none)`,
    );
    return value;
  }

  async store(key: string): Promise<void> {
    await this.#secrets.store(SECRET_KEY, key.trim());
    this.#cached = key.trim();
    this.#log.info('API key stored in SecretStorage');
    await this.#updateContext();
  }

  async clear(): Promise<void> {
    await this.#secrets.delete(SECRET_KEY);
    this.#cached = undefined;
    this.#log.info('API key removed from SecretStorage');
    await this.#updateContext();
  }

  /** Asks for the key in a password box. Returns it, or undefined when the user cancels. */
  async promptAndStore(reason?: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Ideogram: Segmind API Key'),
      prompt:
        reason ??
        vscode.l10n.t(
          "Paste your Segmind API key (from segmind.com → Console → API Keys). It is kept in VS Code's secret storage.",
        ),
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'SG_…',
      validateInput: (value) => {
        const trimmed = value.trim();
        if (trimmed === '') return vscode.l10n.t('The key is empty.');
        if (/\s/.test(trimmed)) return vscode.l10n.t('An API key has no spaces in it.');
        if (!/^[\x21-\x7e]+$/.test(trimmed))
          return vscode.l10n.t(
            'The key contains an invisible or non-ASCII character: paste it again from the Segmind console.',
          );
        return undefined;
      },
    });
    if (key === undefined) return undefined;
    await this.store(key);
    void vscode.window.showInformationMessage(vscode.l10n.t("Segmind API key saved in VS Code's secret storage."));
    return key.trim();
  }

  /** The key, asking for it first when none is set. Says so (once a session) when it is the environment's. */
  async require(): Promise<string | undefined> {
    const key = await this.get();
    if (key === undefined) {
      return this.promptAndStore(
        vscode.l10n.t(
          "Ideogram needs a Segmind API key to generate images. Paste it here; it is kept in VS Code's secret storage.",
        ),
      );
    }
    if (this.#fromEnvironment && !this.#toldAboutEnvironment) {
      this.#toldAboutEnvironment = true;
      const setKey = vscode.l10n.t('Set API Key');
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t(
            "Ideogram is using the Segmind API key from the {0} environment variable, because none is stored in VS Code's secret storage.",
            API_KEY_ENVIRONMENT_VARIABLE,
          ),
          setKey,
        )
        .then((choice) => (choice === setKey ? this.promptAndStore() : undefined));
    }
    return key;
  }
}

/** Registers `Ideogram: Set API Key` (true when a key was stored) and `Ideogram: Clear API Key`. */
export function registerApiKeyCommands(keys: ApiKeyStore): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND.setApiKey, () => keys.promptAndStore().then((key) => key !== undefined)),
    vscode.commands.registerCommand(COMMAND.clearApiKey, async () => {
      await keys.clear();
      void vscode.window.showInformationMessage(
        vscode.l10n.t("Segmind API key removed from VS Code's secret storage."),
      );
    }),
  );
}
