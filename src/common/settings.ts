import * as vscode from 'vscode';
import type { BudgetLimits } from '../core/budget';
import { convertRequest } from '../core/models/convert';
import { DEFAULT_MODEL, modelBySlug } from '../core/models/registry';
import { validateRequest, type GenerationDefaults } from '../core/request';
import { checkSetting, DEFAULT_ENDPOINT, SETTINGS, type SettingKey, type SettingValue } from '../core/settingsTable';
import { SETTINGS_SECTION } from './ids';

/**
 * The one reader of the `ideogram.*` settings (their table: src/core/settingsTable.ts). Reads at use, falling back
 * to the table's default (with a warning in the log) when a value is invalid.
 */
export class Settings {
  readonly #log: vscode.LogOutputChannel;
  constructor(log: vscode.LogOutputChannel) {
    this.#log = log;
  }

  /**
   * A setting's checked value for `scope`. The settings the table marks `userOnly` come from the user's own
   * settings (`globalValue`) whatever the workspace says.
   */
  value<K extends SettingKey>(key: K, scope?: vscode.ConfigurationScope): SettingValue<K> {
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
    const row = SETTINGS[key];
    const raw = 'userOnly' in row ? configuration.inspect<unknown>(key)?.globalValue : configuration.get<unknown>(key);
    const { value, rejected } = checkSetting(key, raw);
    if (rejected) {
      const range =
        'minimum' in row && 'maximum' in row ? ` (allowed: ${String(row.minimum)} to ${String(row.maximum)})` : '';
      this.#log.warn(
        `Setting ${SETTINGS_SECTION}.${key} has an invalid value ${JSON.stringify(raw)}${range}: using ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /** `ideogram.defaultModel`: the model a new generation starts with (an unknown slug: the default model). */
  defaultModel(scope?: vscode.ConfigurationScope): string {
    return this.value('defaultModel', scope);
  }

  /**
   * The options a new request of `model` starts with: the V2-era settings (`defaultStyleType`, `defaultResolution`,
   * `defaultMagicPrompt`, `defaultNegativePrompt`) carried to the model where it has an option of the same meaning
   * and takes the value, then `ideogram.modelDefaults[model]` (options one model has alone, e.g. 3.0's speed),
   * each checked against the model's descriptors.
   */
  generationDefaults(scope?: vscode.ConfigurationScope, modelSlug = this.defaultModel(scope)): GenerationDefaults {
    const model = modelBySlug(modelSlug) ?? DEFAULT_MODEL;
    const legacy = {
      model: DEFAULT_MODEL.slug,
      prompt: '',
      style_type: this.value('defaultStyleType', scope),
      resolution: this.value('defaultResolution', scope),
      magic_prompt_option: this.value('defaultMagicPrompt', scope),
      negative_prompt: this.value('defaultNegativePrompt', scope) || undefined,
    };
    const { model: _model, prompt: _prompt, ...options } = convertRequest(legacy, DEFAULT_MODEL, model).request;
    const mine = this.value('modelDefaults', scope)[model.slug];
    if (mine && typeof mine === 'object') {
      for (const [name, value] of Object.entries(mine as Record<string, unknown>)) {
        // Each value on its own: one the model does not take is logged and left out, the others apply.
        const checked = validateRequest({ model: model.slug, prompt: 'x', [name]: value });
        if (checked.ok && name !== 'prompt' && name !== 'model') options[name] = value;
        else
          this.#log.warn(
            `Setting ${SETTINGS_SECTION}.modelDefaults.${model.slug}.${name}: ${model.displayName} does not take ${JSON.stringify(value)}; ignored`,
          );
      }
    }
    return { model: model.slug, options };
  }

  /**
   * The endpoint from the user's (application) settings only: the setting is declared application-scoped, and the
   * table has it read from `globalValue`, so a workspace can never redirect the key to another server.
   */
  apiEndpoint(): string {
    return this.value('apiEndpoint').trim() || DEFAULT_ENDPOINT;
  }

  /**
   * The timeout from the user's settings only (the setting is machine-scoped, and read from `globalValue`): a
   * repository setting 1 s would abort every request after it was sent, billed, and again on Try Again.
   */
  requestTimeoutMs(): number {
    return this.value('requestTimeoutSeconds') * 1000;
  }

  assetsFolder(scope: vscode.ConfigurationScope): string {
    return this.value('assetsFolder', scope);
  }

  /** Whether the user set `ideogram.assetsFolder` anywhere (then it wins over `markdown.copyFiles.destination`). */
  assetsFolderIsSet(scope: vscode.ConfigurationScope): boolean {
    const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).inspect<unknown>('assetsFolder');
    return [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].some(
      (value) => value !== undefined,
    );
  }

  /** How image links are written (`ideogram.linkTemplates`, `markdownImageSyntax`, `imageWidth`, `altTextTemplate`). */
  links(scope?: vscode.ConfigurationScope): LinkSettings {
    return {
      templates: this.value('linkTemplates', scope),
      markdownImageSyntax: this.value('markdownImageSyntax', scope),
      imageWidth: this.value('imageWidth', scope),
      altTextTemplate: this.value('altTextTemplate', scope),
    };
  }

  /** `ideogram.fileNameTemplate` (checked where it is used, so the user gets a message). */
  fileNameTemplate(scope?: vscode.ConfigurationScope): string {
    return this.value('fileNameTemplate', scope);
  }

  /** `ideogram.embedRecipe`: whether a saved image carries its recipe inside the file. */
  embedRecipe(scope: vscode.ConfigurationScope): boolean {
    return this.value('embedRecipe', scope);
  }

  /** `ideogram.writeRecipeSidecar`: whether a `.json` recipe is written beside a generated image. */
  writeRecipeSidecar(scope: vscode.ConfigurationScope): boolean {
    return this.value('writeRecipeSidecar', scope);
  }

  /** `ideogram.altText.diagnostics`: whether images without alt text are listed in the Problems panel. */
  altTextDiagnostics(scope?: vscode.ConfigurationScope): boolean {
    return this.value('altText.diagnostics', scope);
  }

  /** The spending limits, from the user's (application) values only: a workspace cannot raise one. Empty: off. */
  budgetLimits(): BudgetLimits {
    return {
      confirmAbove: this.value('confirmAboveCredits') ?? undefined,
      dailyLimit: this.value('dailyCreditLimit') ?? undefined,
    };
  }
}

export interface LinkSettings {
  /** Link patterns by language id. */
  templates: Record<string, string>;
  markdownImageSyntax: 'markdown' | 'html';
  /** Display width in pixels; 0 for the image's own size. */
  imageWidth: number;
  altTextTemplate: string;
}

/**
 * The line the palette's prompt box adds when a default negative prompt applies (it may come from the workspace's
 * settings), so nothing is sent with the prompt that the user did not see: " Negative prompt from settings: “…”".
 */
export function negativePromptNotice(negativePrompt: string | undefined): string {
  const text = negativePrompt?.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  const shown = text.length > 120 ? `${text.slice(0, 119)}…` : text;
  return ' ' + vscode.l10n.t('Negative prompt from settings: “{0}” (the gear button changes it).', shown);
}
