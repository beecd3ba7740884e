// Every `ideogram.*` setting, once: its value's schema, default, range, scope and whether an untrusted workspace
// may set it. `Settings` (src/common/settings.ts) is the only reader; the contributions unit test holds
// package.json's `contributes.configuration` and `restrictedConfigurations` to this table, so the manifest and the
// code cannot disagree. Adding a setting: a row here, its entry in package.json (with its words in
// package.nls.json and package.nls.de.json), a line in the README, and a method of `Settings` that reads it.
import * as z from 'zod/mini';
import { optionNamed } from './models/options';
import { DEFAULT_MODEL, MODEL_SLUGS } from './models/registry';
import { DEFAULT_FILE_NAME_TEMPLATE } from './fileNameTemplate';
import { MAGIC_PROMPT_OPTIONS, RESOLUTIONS, STYLE_TYPES } from './request';

/** Where a value may be set (package.json's `scope`). */
export type SettingScope = 'application' | 'machine' | 'resource';

/** What package.json declares of a setting's value, and the schema that checks it. */
interface ValueFacts<T> {
  /** package.json's `type`. */
  type: 'string' | 'boolean' | 'integer' | 'number' | 'object' | readonly ['number', 'null'];
  default: T;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  schema: z.ZodMiniType<T>;
}

export interface SettingRow<T = unknown> extends ValueFacts<T> {
  scope: SettingScope;
  /** Listed in `untrustedWorkspaces.restrictedConfigurations`: a workspace VS Code does not trust cannot set it. */
  restricted: boolean;
  /**
   * Read from the user's own settings only (`globalValue`), whatever a workspace says: a repository must not
   * redirect the key, shorten the timeout after a request was billed, or raise a spending limit.
   */
  userOnly?: true;
}

const text = (facts: { default: string; minLength?: number; maxLength?: number }): ValueFacts<string> => ({
  type: 'string',
  ...facts,
  schema: z.string().check(z.minLength(facts.minLength ?? 0), z.maxLength(facts.maxLength ?? Number.MAX_SAFE_INTEGER)),
});

const choice = <T extends string>(choices: readonly T[], defaultValue: NoInfer<T>): ValueFacts<T> => ({
  type: 'string',
  default: defaultValue,
  enum: choices,
  schema: z.enum(choices as readonly [T, ...T[]]) as unknown as z.ZodMiniType<T>,
});

const flag = (defaultValue: boolean): ValueFacts<boolean> => ({
  type: 'boolean',
  default: defaultValue,
  schema: z.boolean(),
});

const integer = (facts: { default: number; minimum: number; maximum: number }): ValueFacts<number> => ({
  type: 'integer',
  ...facts,
  schema: z.int().check(z.minimum(facts.minimum), z.maximum(facts.maximum)),
});

const number = (facts: { default: number; minimum: number; maximum: number }): ValueFacts<number> => ({
  type: 'number',
  ...facts,
  schema: z.number().check(z.minimum(facts.minimum), z.maximum(facts.maximum)),
});

/** A number the user may leave empty (`null`: off). */
const optionalNumber = (facts: { minimum: number }): ValueFacts<number | null> => ({
  type: ['number', 'null'],
  default: null,
  ...facts,
  schema: z.nullable(z.number().check(z.minimum(facts.minimum))),
});

const record = <T>(values: z.ZodMiniType<T>): ValueFacts<Record<string, T>> => ({
  type: 'object',
  default: {},
  schema: z.record(z.string(), values),
});

/** The default model's default for one of its options (the V2-era `default*` settings are that model's). */
function defaultModelChoice(name: string): string {
  const option = optionNamed(DEFAULT_MODEL, name);
  if (option?.kind !== 'enum') throw new Error(`${DEFAULT_MODEL.slug} has no choice ${name}`);
  return option.default;
}

export const SETTINGS = {
  apiEndpoint: {
    ...text({ default: 'https://api.segmind.com/v1/ideogram-txt-2-img' }),
    scope: 'application',
    restricted: false,
    userOnly: true,
  },
  assetsFolder: { ...text({ default: 'assets', minLength: 1 }), scope: 'resource', restricted: true },
  fileNameTemplate: { ...text({ default: DEFAULT_FILE_NAME_TEMPLATE }), scope: 'resource', restricted: false },
  defaultModel: { ...choice(MODEL_SLUGS, DEFAULT_MODEL.slug), scope: 'resource', restricted: false },
  defaultStyleType: {
    ...choice(STYLE_TYPES, defaultModelChoice('style_type') as (typeof STYLE_TYPES)[number]),
    scope: 'resource',
    restricted: false,
  },
  defaultResolution: {
    ...choice(RESOLUTIONS, defaultModelChoice('resolution') as (typeof RESOLUTIONS)[number]),
    scope: 'resource',
    restricted: false,
  },
  defaultMagicPrompt: {
    ...choice(MAGIC_PROMPT_OPTIONS, defaultModelChoice('magic_prompt_option') as (typeof MAGIC_PROMPT_OPTIONS)[number]),
    scope: 'resource',
    restricted: false,
  },
  // A default that long is a mistake or someone else's text, not a preference.
  defaultNegativePrompt: { ...text({ default: '', maxLength: 1000 }), scope: 'resource', restricted: true },
  // Each model's own options, checked one by one against its descriptors where they are read.
  modelDefaults: { ...record(z.unknown()), scope: 'resource', restricted: false },
  // Below 10 s every real generation would be aborted after it was billed.
  requestTimeoutSeconds: {
    ...number({ default: 120, minimum: 10, maximum: 600 }),
    scope: 'machine',
    restricted: true,
    userOnly: true,
  },
  writeRecipeSidecar: { ...flag(true), scope: 'resource', restricted: false },
  embedRecipe: { ...flag(true), scope: 'resource', restricted: false },
  altTextTemplate: { ...text({ default: '${prompt}' }), scope: 'resource', restricted: false },
  'altText.diagnostics': { ...flag(false), scope: 'resource', restricted: false },
  markdownImageSyntax: { ...choice(['markdown', 'html'] as const, 'markdown'), scope: 'resource', restricted: false },
  imageWidth: { ...integer({ default: 0, minimum: 0, maximum: 10_000 }), scope: 'resource', restricted: false },
  linkTemplates: { ...record(z.string()), scope: 'resource', restricted: true },
  confirmAboveCredits: { ...optionalNumber({ minimum: 0 }), scope: 'application', restricted: false, userOnly: true },
  dailyCreditLimit: { ...optionalNumber({ minimum: 0 }), scope: 'application', restricted: false, userOnly: true },
} as const satisfies Record<string, SettingRow<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
/** The value a setting holds once checked. */
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];

/** `ideogram.requestTimeoutSeconds`'s range and default (the client's own timeout when it is given none). */
export const REQUEST_TIMEOUT_SECONDS = {
  default: SETTINGS.requestTimeoutSeconds.default,
  minimum: SETTINGS.requestTimeoutSeconds.minimum,
  maximum: SETTINGS.requestTimeoutSeconds.maximum,
} as const;

/** Where requests go unless the user's settings say otherwise. */
export const DEFAULT_ENDPOINT = SETTINGS.apiEndpoint.default;

/**
 * A raw configuration value checked against its row: the value, or the row's default and whether the raw value
 * was rejected (undefined, not set, is not a rejection).
 */
export function checkSetting<K extends SettingKey>(
  key: K,
  raw: unknown,
): { value: SettingValue<K>; rejected: boolean } {
  const row = SETTINGS[key] as unknown as SettingRow<SettingValue<K>>;
  if (raw === undefined) return { value: row.default, rejected: false };
  const parsed = row.schema.safeParse(raw);
  return parsed.success ? { value: parsed.data, rejected: false } : { value: row.default, rejected: true };
}
