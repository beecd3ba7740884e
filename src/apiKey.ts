import * as vscode from 'vscode';

const SECRET_KEY = 'ideogram.segmindApiKey';
/** Context key for `when` clauses: the sidebar's welcome view and the walkthrough's first step use it. */
export const HAS_API_KEY_CONTEXT = 'ideogram.hasApiKey';
/** Read only when SecretStorage holds no key: lets Codespaces secrets, CI and the demo provide one. */
export const API_KEY_ENVIRONMENT_VARIABLE = 'IDEOGRAM_API_KEY';

/** The Segmind API key, kept in SecretStorage and nowhere else. */
export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.LogOutputChannel) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key !== SECRET_KEY) return;
      this.cached = undefined;
      void this.updateContext();
    });
    void this.updateContext();
  }

  /** Publishes whether a key is available (SecretStorage or the environment variable) as a context key. */
  private async updateContext(): Promise<void> {
    const hasKey = (await this.get()) !== undefined;
    await vscode.commands.executeCommand('setContext', HAS_API_KEY_CONTEXT, hasKey);
  }

  async get(): Promise<string | undefined> {
    if (this.cached === undefined) {
      this.cached = (await this.secrets.get(SECRET_KEY)) ?? process.env[API_KEY_ENVIRONMENT_VARIABLE]?.trim() ?? '';
    }
    return this.cached || undefined;
  }

  async store(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
    this.cached = key.trim();
    this.log.info('API key stored in SecretStorage');
    await this.updateContext();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.cached = undefined;
    this.log.info('API key removed from SecretStorage');
    await this.updateContext();
  }

  /** Asks for the key in a password box. Returns it, or undefined when the user cancels. */
  async promptAndStore(reason?: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Ideogram: Segmind API Key'),
      prompt: reason ?? vscode.l10n.t('Paste your Segmind API key (from segmind.com → Console → API Keys). It is kept in VS Code\'s secret storage.'),
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'SG_…',
      validateInput: (value) => {
        const trimmed = value.trim();
        if (trimmed === '') return vscode.l10n.t('The key is empty.');
        if (/\s/.test(trimmed)) return vscode.l10n.t('An API key has no spaces in it.');
        if (!/^[\x21-\x7e]+$/.test(trimmed)) return vscode.l10n.t('The key contains an invisible or non-ASCII character: paste it again from the Segmind console.');
        return undefined;
      },
    });
    if (key === undefined) return undefined;
    await this.store(key);
    void vscode.window.showInformationMessage(vscode.l10n.t('Segmind API key saved in VS Code\'s secret storage.'));
    return key.trim();
  }

  /** The key, asking for it first when none is set. */
  async require(): Promise<string | undefined> {
    return (await this.get()) ?? this.promptAndStore(vscode.l10n.t('Ideogram needs a Segmind API key to generate images. Paste it here; it is kept in VS Code\'s secret storage.'));
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
