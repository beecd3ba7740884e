import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { DEFAULT_ENDPOINT } from '../core/client';
import { DEFAULT_FILE_NAME_TEMPLATE } from '../core/fileNameTemplate';
import { convertRequest } from '../core/models/convert';
import { DEFAULT_MODEL, modelBySlug } from '../core/models/registry';
import {
  DEFAULT_RESOLUTION,
  MAGIC_PROMPT_OPTIONS,
  RESOLUTIONS,
  STYLE_TYPES,
  validateRequest,
  type GenerationDefaults,
} from '../core/request';
import { DEFAULT_NEGATIVE_PROMPT_MAX_LENGTH, REQUEST_TIMEOUT_SECONDS } from '../core/settingLimits';
import { SETTINGS_SECTION } from './ids';

const defaultsSchema = {
  defaultStyleType: z.catch(z.enum(STYLE_TYPES), 'GENERAL' as const),
  defaultResolution: z.catch(z.enum(RESOLUTIONS), DEFAULT_RESOLUTION),
  defaultMagicPrompt: z.catch(z.enum(MAGIC_PROMPT_OPTIONS), 'AUTO' as const),
  defaultNegativePrompt: z.catch(z.string().check(z.maxLength(DEFAULT_NEGATIVE_PROMPT_MAX_LENGTH)), ''),
};

const timeoutSchema = z.catch(
  z.number().check(z.minimum(REQUEST_TIMEOUT_SECONDS.minimum), z.maximum(REQUEST_TIMEOUT_SECONDS.maximum)),
  REQUEST_TIMEOUT_SECONDS.default,
);

/** Reads settings at use, falling back to defaults (with a warning in the log) when a value is invalid. */
export class Settings {
  readonly #log: vscode.LogOutputChannel;
  constructor(log: vscode.LogOutputChannel) {
    this.#log = log;
  }

  #read<T>(key: string, schema: z.ZodMiniType<T>, scope?: vscode.ConfigurationScope): T {
    const raw = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<unknown>(key);
    const result = schema.safeParse(raw);
    if (!result.success) {
      this.#log.warn(
        `Setting ${SETTINGS_SECTION}.${key} has an invalid value ${JSON.stringify(raw)}: using the default`,
      );
    }
    return result.success ? result.data : schema.parse(undefined);
  }

  /** `ideogram.defaultModel`: the model a new generation starts with (an unknown slug: the default model). */
  defaultModel(scope?: vscode.ConfigurationScope): string {
    const raw = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<unknown>('defaultModel');
    if (raw === undefined || modelBySlug(raw)) return (raw as string | undefined) ?? DEFAULT_MODEL.slug;
    this.#log.warn(
      `Setting ${SETTINGS_SECTION}.defaultModel has an unknown model ${JSON.stringify(raw)}: using ${DEFAULT_MODEL.slug}`,
    );
    return DEFAULT_MODEL.slug;
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
      style_type: this.#read('defaultStyleType', defaultsSchema.defaultStyleType, scope),
      resolution: this.#read('defaultResolution', defaultsSchema.defaultResolution, scope),
      magic_prompt_option: this.#read('defaultMagicPrompt', defaultsSchema.defaultMagicPrompt, scope),
      negative_prompt: this.#read('defaultNegativePrompt', defaultsSchema.defaultNegativePrompt, scope) || undefined,
    };
    const { model: _model, prompt: _prompt, ...options } = convertRequest(legacy, DEFAULT_MODEL, model).request;
    const own = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<unknown>('modelDefaults');
    const mine = own && typeof own === 'object' ? (own as Record<string, unknown>)[model.slug] : undefined;
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
   * The endpoint from the user's (application) settings only. The setting is declared application-scoped,
   * and we also read `globalValue` explicitly: a workspace must never redirect the key to another server.
   */
  apiEndpoint(): string {
    const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>('apiEndpoint');
    const value = inspected?.globalValue;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_ENDPOINT;
  }

  /**
   * The timeout from the user's settings only (the setting is machine-scoped, and we read `globalValue`): a
   * repository setting 1 s would abort every request after it was sent, billed, and again on Try Again.
   */
  requestTimeoutMs(): number {
    const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<unknown>('requestTimeoutSeconds');
    const raw = inspected?.globalValue;
    const seconds = timeoutSchema.parse(raw);
    if (raw !== undefined && raw !== seconds) {
      this.#log.warn(
        `Setting ${SETTINGS_SECTION}.requestTimeoutSeconds has an invalid value ${JSON.stringify(raw)} (allowed: ${REQUEST_TIMEOUT_SECONDS.minimum} to ${REQUEST_TIMEOUT_SECONDS.maximum}): using ${REQUEST_TIMEOUT_SECONDS.default}`,
      );
    }
    return seconds * 1000;
  }

  assetsFolder(scope: vscode.ConfigurationScope): string {
    return this.#read('assetsFolder', z.catch(z.string().check(z.minLength(1)), 'assets'), scope);
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
      templates: this.#read('linkTemplates', z.catch(z.record(z.string(), z.string()), {}), scope),
      markdownImageSyntax: this.#read(
        'markdownImageSyntax',
        z.catch(z.enum(['markdown', 'html']), 'markdown' as const),
        scope,
      ),
      imageWidth: this.#read('imageWidth', z.catch(z.int().check(z.minimum(0), z.maximum(10_000)), 0), scope),
      altTextTemplate: this.#read('altTextTemplate', z.catch(z.string(), '${prompt}'), scope),
    };
  }

  /** `ideogram.fileNameTemplate` (checked where it is used, so the user gets a message). */
  fileNameTemplate(scope?: vscode.ConfigurationScope): string {
    return this.#read('fileNameTemplate', z.catch(z.string(), DEFAULT_FILE_NAME_TEMPLATE), scope);
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
