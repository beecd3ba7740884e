// Fuzzing the host's validation of webview messages (`parseWebviewMessage` in src/common/protocol.ts), the one
// function every message from the sidebar webview passes before anything acts on it.
//
// Malformed messages: random JSON values and structured-clone values, objects with a valid `type` and random
// fields, and well-formed messages broken on purpose (a required field dropped, an unknown key added, among
// them `__proto__`/`constructor`/`prototype`, a value of the wrong kind: numbers where strings belong, NaN,
// ±Infinity, 1 MB strings, nesting 100,000 levels deep). Each must be rejected, or, for the purely random
// ones, be accepted only as an exactly valid message; nothing may throw or touch Object.prototype.
// Well-formed messages are generated from the zod schema itself (walked through its definitions, so a new
// message type or field is fuzzed without touching this file) and must be accepted as sent.
//
// FUZZ_SEED=<n> replays a run (fast-check prints the seed of a failing run).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { defaultForm, requestInput } from '../../media/formModel';
import { namedModelRequestSchema } from '../../src/core/request';
import { englishFormChoices } from './modelViewsForTests';
import { MAX_FORM_JSON_LENGTH } from '../../src/common/protocol';
import { parseWebviewMessage, webviewMessageSchema } from '../../src/sidebar/messageSchema';

const MALFORMED_RUNS = 5_000;
const WELL_FORMED_RUNS = 3_000;
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

// ---------------------------------------------------------------- reading the zod schema

interface Def {
  type: string;
  [key: string]: unknown;
}
function defOf(schema: unknown): Def {
  return (schema as { _zod: { def: Def } })._zod.def;
}
function checksOf(def: Def): Def[] {
  return ((def.checks as unknown[] | undefined) ?? []).map(defOf);
}
/** An optional or defaulted field may be left out. */
function isOmittable(schema: unknown): boolean {
  const type = defOf(schema).type;
  return type === 'optional' || type === 'default';
}
function unwrap(schema: unknown): unknown {
  let current = schema;
  while (isOmittable(current)) current = defOf(current).innerType;
  return current;
}
function shapeOf(schema: unknown): Record<string, unknown> {
  return defOf(schema).shape as Record<string, unknown>;
}
/** zod's strict objects have a `never` catch-all: any unknown key rejects. */
function isStrict(schema: unknown): boolean {
  const catchall = defOf(schema).catchall;
  return catchall !== undefined && defOf(catchall).type === 'never';
}

const options = defOf(webviewMessageSchema).options as unknown[];
const optionByType = new Map<string, unknown>(options.map((option) => [literalOf(shapeOf(option).type), option]));
const MESSAGE_TYPES = [...optionByType.keys()];
function literalOf(schema: unknown): string {
  return String((defOf(schema).values as unknown[])[0]);
}

interface StringRules {
  min: number;
  max: number;
  trim: boolean;
  patterns: RegExp[];
}
function stringRules(def: Def): StringRules {
  const rules: StringRules = { min: 0, max: Infinity, trim: false, patterns: [] };
  for (const check of checksOf(def)) {
    if (check.check === 'min_length') rules.min = Math.max(rules.min, check.minimum as number);
    else if (check.check === 'max_length') rules.max = Math.min(rules.max, check.maximum as number);
    else if (check.check === 'length_equals') rules.min = rules.max = check.length as number;
    else if (check.check === 'string_format' && check.format === 'regex') rules.patterns.push(check.pattern as RegExp);
    else if (check.check === 'overwrite')
      rules.trim = true; // the only overwrite the protocol uses is .trim()
    else throw new Error(`the fuzz test does not know the string check ${String(check.check)}: teach it`);
  }
  return rules;
}

interface NumberRules {
  integer: boolean;
  min: number;
  max: number;
  minExcluded: boolean;
  maxExcluded: boolean;
}
const NUMBER_FORMATS: Record<string, { integer: boolean; min: number; max: number }> = {
  safeint: { integer: true, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  int32: { integer: true, min: -(2 ** 31), max: 2 ** 31 - 1 },
  uint32: { integer: true, min: 0, max: 2 ** 32 - 1 },
  float32: { integer: false, min: -3.4028234663852886e38, max: 3.4028234663852886e38 },
  float64: { integer: false, min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
};
function numberRules(def: Def): NumberRules {
  const rules: NumberRules = {
    integer: false,
    min: -Number.MAX_VALUE,
    max: Number.MAX_VALUE,
    minExcluded: false,
    maxExcluded: false,
  };
  // z.int() and friends carry their format on the schema itself; z.number().check(z.int()) as a check.
  for (const check of [...(def.check === 'number_format' ? [def] : []), ...checksOf(def)]) {
    if (check.check === 'number_format') {
      const format = NUMBER_FORMATS[check.format as string];
      if (!format) throw new Error(`the fuzz test does not know the number format ${String(check.format)}: teach it`);
      rules.integer ||= format.integer;
      rules.min = Math.max(rules.min, format.min);
      rules.max = Math.min(rules.max, format.max);
    } else if (check.check === 'greater_than') {
      rules.min = check.value as number;
      rules.minExcluded = !check.inclusive;
    } else if (check.check === 'less_than') {
      rules.max = check.value as number;
      rules.maxExcluded = !check.inclusive;
    } else throw new Error(`the fuzz test does not know the number check ${String(check.check)}: teach it`);
  }
  return rules;
}

// ---------------------------------------------------------------- nasty values, built once

const MB = 1 << 20;
const HUGE = {
  x: 'x'.repeat(MB),
  id: 'a'.repeat(MB),
  spaces: ' '.repeat(MB),
  unicode: '\u{1F600}'.repeat(MB / 2),
  nul: '\0'.repeat(MB),
};
const HUGE_STRINGS = Object.values(HUGE);
const deepCache = new Map<string, unknown>();
/** Arrays or objects nested `depth` levels deep (built iteratively: no recursion to overflow). */
function deep(depth: number, kind: 'array' | 'object'): unknown {
  const key = `${kind}:${depth}`;
  let value = deepCache.get(key);
  if (value === undefined) {
    value = kind === 'array' ? ['bottom'] : { bottom: true };
    for (let level = 1; level < depth; level++) value = kind === 'array' ? [value] : { a: value };
    deepCache.set(key, value);
  }
  return value;
}
const deepValue = fc
  .tuple(fc.constantFrom(7, 50, 1_000, 10_000, 100_000), fc.constantFrom('array' as const, 'object' as const))
  .map(([depth, kind]) => deep(depth, kind));
const hugeString = fc.constantFrom(...HUGE_STRINGS);
const notFinite = fc.constantFrom(NaN, Infinity, -Infinity);

/** Anything that can cross postMessage (JSON, plus what a structured clone keeps), never a valid string. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  notFinite,
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.bigInt(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  deepValue,
  fc.constant(new Date(0)),
  fc.constant(new Map([['type', 'ready']])),
  fc.constant(new Uint8Array(4)),
  fc.string().map((text) => new String(text)), // a boxed string is not a string
);
const notANumber = fc.oneof(
  notFinite,
  fc.integer().map(String),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.bigInt(),
  fc.constant([1]),
  fc.constant({ valueOf: 1 }),
  hugeString,
  deepValue,
  fc.constant(new Date(0)),
);

/** Values the schema node must reject, by construction (no zod consulted). */
function invalidFor(schema: unknown): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional': // an optional field takes undefined, not null
      return invalidFor(def.innerType).filter((value) => value !== undefined);
    case 'default':
      return invalidFor(def.innerType).filter((value) => value !== undefined);
    case 'literal':
    case 'enum': {
      const allowed = new Set<unknown>(
        def.type === 'literal' ? (def.values as unknown[]) : Object.values(def.entries as object),
      );
      const near = [...allowed].flatMap((value) => [
        String(value).toLowerCase(),
        ` ${String(value)}`,
        `${String(value)}\0`,
        String(value).repeat(2),
      ]);
      return fc
        .oneof(notAString, hugeString, fc.constantFrom(...near), fc.string())
        .filter((value) => !allowed.has(value));
    }
    case 'string': {
      const rules = stringRules(def);
      const wrong: Array<fc.Arbitrary<unknown>> = [notAString];
      if (rules.max < MB)
        wrong.push(
          hugeString,
          fc.integer({ min: rules.max + 1, max: rules.max + 64 }).map((length) => 'w'.repeat(length)),
        );
      if (rules.min > 0)
        wrong.push(fc.constant(''), rules.trim ? fc.constantFrom(' ', '\t\n ', '\u00a0') : fc.constant(''));
      // Strings of characters no id allows: spaces, markup, control and non-ASCII characters.
      if (rules.patterns.some((pattern) => pattern.source.startsWith('^'))) {
        wrong.push(
          fc.constantFrom(
            'a b',
            '<img src=x onerror=alert(1)>',
            'x\ny',
            '../../etc/passwd',
            'ä',
            'run\u202e1',
            'a'.repeat(65),
            '',
          ),
        );
      }
      if (rules.patterns.some((pattern) => pattern.flags.includes('u') && pattern.source.includes('\\p{L}'))) {
        wrong.push(fc.constantFrom('!!!', '...', '--- ***', '🙂🙂')); // a prompt without a letter or digit
      }
      return fc.oneof(...wrong);
    }
    case 'number': {
      const rules = numberRules(def);
      const wrong: Array<fc.Arbitrary<unknown>> = [notANumber];
      if (rules.integer)
        wrong.push(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((value) => !Number.isInteger(value)),
          fc.constant(2 ** 53),
          fc.constant(1e308),
        );
      if (rules.min > -Number.MAX_VALUE)
        wrong.push(fc.constantFrom(rules.min - 1, rules.min - 1e-9, -1e308).filter((value) => value < rules.min));
      if (rules.max < Number.MAX_VALUE)
        wrong.push(fc.constantFrom(rules.max + 1, rules.max + 1e-9, 1e308).filter((value) => value > rules.max));
      return fc.oneof(...wrong);
    }
    case 'array': {
      const max = checksOf(def).find((check) => check.check === 'max_length')?.maximum as number | undefined;
      const wrong: Array<fc.Arbitrary<unknown>> = [
        notAString.filter((value) => !Array.isArray(value)),
        fc.string(),
        fc.constant({ 0: 'x', length: 1 }),
      ];
      if (max !== undefined) wrong.push(fc.constant(new Array(max + 1).fill(undefined)));
      return fc.oneof(...wrong);
    }
    case 'object':
    case 'union':
    case 'pipe':
      return fc.oneof(
        fc.constant(null),
        fc.constant(undefined),
        fc.string(),
        fc.integer(),
        notFinite,
        fc.constant([]),
        hugeString,
        fc.constant({}),
        fc.constant(JSON.parse('{"__proto__":{"polluted":true}}')),
        deepValue.filter((value) => Array.isArray(value)),
      );
    case 'unknown': // the form to validate: only a small plain JSON object passes its refinement
      return fc.oneof(
        fc.constant(null),
        fc.constant(undefined),
        fc.string(),
        fc.integer(),
        fc.constant([]),
        fc.constant([{ prompt: 'x' }]),
        hugeString,
        fc.constant({ prompt: 'x'.repeat(MAX_FORM_JSON_LENGTH + 1) }),
        fc.constant({ prompt: HUGE.x }),
        fc
          .constantFrom(...FORBIDDEN_KEYS)
          .map((key) => JSON.parse(`{"prompt":"x",${JSON.stringify(key)}:{"polluted":true}}`)),
        fc
          .constantFrom(...FORBIDDEN_KEYS)
          .map((key) => ({ nested: JSON.parse(`{${JSON.stringify(key)}:{"prototype":{"polluted":true}}}`) })),
        fc.constantFrom(Infinity, -Infinity).map((value) => ({ seed: value })),
        fc.constantFrom(7, 50, 1_000, 100_000).map((depth) => ({ prompt: 'x', nested: deep(depth, 'object') })),
        fc.constant(Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`k${index}`, index]))),
        fc.constant({ members: new Array(65).fill(1) }),
        fc.constant(new Map([['prompt', 'x']])),
        fc.constant(new Date(0)),
        fc.constant(Object.assign(Object.create(null), { prompt: 'x' })),
        fc.constant({ seed: 1n }),
        fc.constant({ when: new Date(0) }),
      );
    default:
      throw new Error(`the fuzz test does not know the zod type ${def.type}: teach it`);
  }
}

// ---------------------------------------------------------------- well-formed messages, from the schema

const safeKey = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((key) => !(FORBIDDEN_KEYS as readonly string[]).includes(key));
/** A small plain JSON value: what a form could hold. */
const smallJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noDefaultInfinity: true }),
    fc.string({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(safeKey, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

/** The arbitrary the schema node describes. `path` names the node for fields the schema cannot describe. */
function validFor(schema: unknown, path: string): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
      return validFor(def.innerType, path);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as object));
    case 'string': {
      const rules = stringRules(def);
      const anchored = rules.patterns.find((pattern) => pattern.source.startsWith('^'));
      const base = anchored
        ? fc.stringMatching(anchored)
        : // An unanchored pattern (the prompt's "has a letter or digit"): any text around a few characters of any script.
          rules.patterns.length
          ? fc
              .tuple(
                fc.string({ maxLength: 30 }),
                fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
                fc.string({ maxLength: 30 }),
              )
              .map((parts) => parts.join(''))
          : fc.string({ maxLength: Math.min(rules.max, 300) });
      return base.filter((text) => {
        const value = rules.trim ? text.trim() : text;
        return (
          value.length >= rules.min &&
          value.length <= rules.max &&
          rules.patterns.every((pattern) => pattern.test(value))
        );
      });
    }
    case 'number': {
      const rules = numberRules(def);
      if (rules.integer) {
        return fc.integer({
          min: Math.ceil(rules.min + (rules.minExcluded ? 1 : 0)),
          max: Math.floor(rules.max - (rules.maxExcluded ? 1 : 0)),
        });
      }
      return fc
        .double({
          min: rules.min,
          max: rules.max,
          minExcluded: rules.minExcluded,
          maxExcluded: rules.maxExcluded,
          noNaN: true,
          noDefaultInfinity: true,
        })
        .filter((value) => !Object.is(value, -0));
    }
    case 'array': {
      const checks = checksOf(def);
      const min = (checks.find((check) => check.check === 'min_length')?.minimum as number | undefined) ?? 0;
      const max = (checks.find((check) => check.check === 'max_length')?.maximum as number | undefined) ?? 10;
      return fc.array(validFor(def.element, `${path}[]`), { minLength: min, maxLength: max });
    }
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((option) => validFor(option, path)));
    case 'object': {
      const shape = shapeOf(schema);
      const fields = Object.fromEntries(
        Object.entries(shape).map(([key, field]) => [key, validFor(field, `${path}.${key}`)]),
      );
      const requiredKeys = Object.keys(shape).filter((key) => !isOmittable(shape[key]));
      return fc.record(fields, { requiredKeys, noNullPrototype: true }); // a message from the webview is plain data
    }
    case 'boolean':
      return fc.boolean();
    case 'pipe':
      // Any model's request (src/core/request.ts validates it against the model it names): well-formed ones are
      // those of the per-model schemas, each naming its model. Its inside is not mutated here (no sites): the
      // models' own property tests (test/unit/models.test.ts) break requests field by field.
      if (path === 'generate.request') return validFor(namedModelRequestSchema, path);
      throw new Error(`the fuzz test does not know the zod pipe at ${path}: teach it`);
    case 'unknown':
      if (path === 'validate.request') {
        // What the form posts: a request (valid or not, as the user is typing), or any small JSON object.
        return fc.oneof(
          validFor(shapeOf(optionByType.get('generate')).request, 'generate.request'),
          fc.dictionary(safeKey, smallJson, { maxKeys: 8, noNullPrototype: true }),
        );
      }
      throw new Error(
        `the fuzz test cannot generate ${path} (zod "unknown" with a custom check): add a generator for it`,
      );
    default:
      throw new Error(`the fuzz test does not know the zod type ${def.type} (at ${path}): teach it`);
  }
}

const wellFormedByType = new Map(
  MESSAGE_TYPES.map((type) => [type, validFor(optionByType.get(type), type) as fc.Arbitrary<Record<string, unknown>>]),
);
const wellFormed = fc
  .constantFrom(...MESSAGE_TYPES)
  .chain((type) => wellFormedByType.get(type) as fc.Arbitrary<Record<string, unknown>>);

// ---------------------------------------------------------------- breaking well-formed messages

/** A deep copy of a (small, generated) message that keeps NaN, -0, undefined and own `__proto__` keys. */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(copy, key, clone((value as Record<string, unknown>)[key]));
    return copy as T;
  }
  return value;
}
/** Sets an own, enumerable property, `__proto__` included (as JSON.parse or a structured clone would make it). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object in the message and the schema it must satisfy: where a mutation can strike. */
interface Site {
  object: Record<string, unknown>;
  schema: unknown;
  path: string;
}
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;
/** The objects of a well-formed message with their schemas (strict objects, union branches, array elements). */
function sitesOf(message: Record<string, unknown>, schema: unknown, path: string): Site[] {
  const sites: Site[] = [{ object: message, schema, path }];
  for (const [key, field] of Object.entries(shapeOf(schema))) {
    const value = message[key];
    let inner = unwrap(field);
    if (defOf(inner).type === 'union' && isPlainObject(value)) {
      // The branch the value was generated from: the one that has all its keys (palette: preset or members).
      inner = (defOf(inner).options as unknown[]).find(
        (option) => defOf(option).type === 'object' && Object.keys(value).every((k) => k in shapeOf(option)),
      );
      if (inner === undefined) continue;
    }
    if (defOf(inner).type === 'object' && isPlainObject(value)) sites.push(...sitesOf(value, inner, `${path}.${key}`));
    if (defOf(inner).type === 'array' && Array.isArray(value)) {
      const element = unwrap(defOf(inner).element);
      value.forEach((item, index) => {
        if (defOf(element).type === 'object' && isPlainObject(item))
          sites.push(...sitesOf(item, element, `${path}.${key}[${index}]`));
      });
    }
  }
  return sites;
}

const extraKey = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ...FORBIDDEN_KEYS,
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
      'then',
      'isTrusted',
      'Type',
      'type ',
    ),
  },
  { weight: 4, arbitrary: fc.string({ minLength: 0, maxLength: 20 }) },
  // Rarer: zod puts unknown keys into its error message, so each 1 MB key costs a few milliseconds to reject.
  { weight: 1, arbitrary: hugeString },
);
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  notAString,
  hugeString,
  fc.constant(JSON.parse('{"polluted":true}')),
);

/** One way of breaking a message: applied to a fresh copy's objects (same order as the generated message's). */
interface Mutation {
  what: string;
  apply(sites: Site[]): void;
}
/** The ways to break a message, each sure to make it invalid, and none able to repair what another broke. */
const mutationsFor: Record<string, (message: Record<string, unknown>, sites: Site[]) => fc.Arbitrary<Mutation>> = {
  dropRequired: (_message, sites) => {
    const candidates = sites.flatMap((site, index) =>
      Object.keys(shapeOf(site.schema))
        .filter((key) => !isOmittable(shapeOf(site.schema)[key]))
        .map((key) => ({ index, key, path: site.path })),
    );
    return fc.constantFrom(...candidates).map(({ index, key, path }) => ({
      what: `dropped ${path}.${key}`,
      apply: (copy) => {
        delete copy[index].object[key];
      },
    }));
  },
  addUnknownKey: (_message, sites) => {
    const strict = sites.map((site, index) => ({ site, index })).filter(({ site }) => isStrict(site.schema));
    return fc.constantFrom(...strict).chain(({ site, index }) => {
      const known = new Set(Object.keys(shapeOf(site.schema)));
      return fc
        .tuple(
          extraKey.filter((key) => !known.has(key)),
          anyValue,
        )
        .map(([key, value]) => ({
          what: `added ${site.path}[${JSON.stringify(key.slice(0, 20))}${key.length > 20 ? `…(${key.length} chars)` : ''}] = ${show(value)}`,
          apply: (copy: Site[]) => setOwn(copy[index].object, key, value),
        }));
    });
  },
  wrongValue: (_message, sites) => {
    const fields = sites.flatMap((site, index) =>
      Object.keys(shapeOf(site.schema)).map((key) => ({ index, key, site })),
    );
    return fc.constantFrom(...fields).chain(({ index, key, site }) =>
      invalidFor(shapeOf(site.schema)[key]).map((value) => ({
        what: `${site.path}.${key} = ${show(value)}`,
        apply: (copy: Site[]) => setOwn(copy[index].object, key, value),
      })),
    );
  },
  formForbiddenKey: (message, sites) => {
    // validate.request takes any small plain object, except one with a key that could reach a prototype.
    if (message.type !== 'validate') return mutationsFor.wrongValue(message, sites);
    return fc.tuple(fc.constantFrom(...FORBIDDEN_KEYS), fc.nat(3)).map(([key, depth]) => ({
      what: `validate.request${Array.from({ length: depth }, (_, level) => `.n${level}`).join('')}[${key}]`,
      apply: (copy: Site[]) => {
        let target = copy[0].object.request as Record<string, unknown>;
        if (!isPlainObject(target)) return; // replaced by an earlier mutation: broken already
        for (let level = 0; level < depth; level++) {
          const child = {};
          setOwn(target, `n${level}`, child);
          target = child;
        }
        setOwn(target, key, JSON.parse('{"prototype":{"polluted":true},"polluted":true}'));
      },
    }));
  },
};

function hasOwnKeyDeep(value: unknown, key: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  return (
    Object.prototype.hasOwnProperty.call(value, key) || Object.values(value).some((child) => hasOwnKeyDeep(child, key))
  );
}

/** A short description of any value: never the whole of a 1 MB string or a deep nest (and cheap to make). */
function show(value: unknown, depth = 0): string {
  const text = preview(value, depth);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
function preview(value: unknown, depth: number): string {
  if (typeof value === 'string')
    return value.length > 40 ? `"${value.slice(0, 20)}…" (${value.length} chars)` : JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return typeof value;
  if (depth > 3) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value))
    return `[${value
      .slice(0, 5)
      .map((item) => preview(item, depth + 1))
      .join(', ')}${value.length > 5 ? `, … (${value.length})` : ''}]`;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    return `a ${(value as object).constructor?.name ?? 'object'}`;
  const keys = Object.keys(value);
  const shown = keys
    .slice(0, 6)
    .map((key) => `${preview(key, 4)}: ${preview((value as Record<string, unknown>)[key], depth + 1)}`);
  return `${prototype === null ? '(null prototype) ' : ''}{${shown.join(', ')}${keys.length > 6 ? ', …' : ''}}`;
}

// ---------------------------------------------------------------- the cases

interface Case {
  category: string;
  value: unknown;
  mustReject: boolean;
  what: string;
}
function caseOf(category: string, mustReject: boolean, value: unknown, what = show(value)): Case {
  return { category, value, mustReject, what, [fc.toStringMethod]: () => `${category}: ${what}` } as Case;
}

const brokenMessage = wellFormed.chain((message) => {
  const sites = sitesOf(message, optionByType.get(message.type as string), String(message.type));
  const mutation = fc.constantFrom(...Object.keys(mutationsFor)).chain((name) => mutationsFor[name](message, sites));
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((chosen) => {
    // Applied in order to a fresh copy (fast-check may map the same plan again while shrinking).
    const copy = clone(message);
    const copySites = sitesOf(copy, optionByType.get(copy.type as string), String(copy.type));
    for (const { apply } of chosen) apply(copySites);
    return caseOf(
      'broken well-formed message',
      true,
      copy,
      `${String(message.type)}: ${chosen.map(({ what }) => what).join('; ')}`,
    );
  });
});

const malformed: fc.Arbitrary<Case> = fc.oneof(
  { weight: 6, arbitrary: brokenMessage },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => caseOf('random JSON value', false, value)) },
  {
    weight: 1,
    arbitrary: fc
      .anything({
        maxDepth: 3,
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withTypedArray: true,
        withSparseArray: true,
        withNullPrototype: true,
        withBoxedValues: true,
        withObjectString: true,
      })
      .map((value) => caseOf('random structured-clone value', false, value)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...MESSAGE_TYPES),
        fc.dictionary(fc.oneof(fc.string(), extraKey), anyValue, { maxKeys: 5 }),
      )
      .map(([type, fields]) => {
        const value: Record<string, unknown> = {};
        for (const key of Object.keys(fields)) setOwn(value, key, fields[key]);
        setOwn(value, 'type', type);
        return caseOf('valid type, random fields', false, value);
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        hugeString,
        deepValue,
        notFinite,
        fc.constantFrom(...MESSAGE_TYPES),
        fc.constant(JSON.parse('{"__proto__":{"type":"ready"}}')),
        fc.constant(new Map([['type', 'ready']])),
        fc.constant(JSON.parse('{"type":{"toString":"ready"}}')),
        fc.constant(undefined),
      )
      .map((value) => caseOf('not a message object', true, value)),
  },
  // Cannot come from a webview (a message arrives as plain data), but must not confuse the parser: fields
  // inherited through a prototype. zod reads them; what comes out must still be an exact, fresh message.
  {
    weight: 1,
    arbitrary: fc
      .tuple(wellFormed, fc.boolean())
      .map(([message, nullPrototype]) =>
        caseOf(
          'fields inherited from a prototype',
          false,
          Object.create(nullPrototype ? Object.assign(Object.create(null), message) : message),
          `inherits ${show(message)}`,
        ),
      ),
  },
);

// ---------------------------------------------------------------- the checks

const PROTOTYPES: Array<[string, object]> = [
  ['Object', Object.prototype],
  ['Array', Array.prototype],
  ['Function', Function.prototype],
  ['String', String.prototype],
];
function snapshotPrototypes(): string {
  return PROTOTYPES.map(([name, proto]) => `${name}: ${Reflect.ownKeys(proto).map(String).sort().join(',')}`).join(
    '\n',
  );
}
const pristine = snapshotPrototypes();
function assertPrototypesUntouched(what: string): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, `Object.prototype.polluted after ${what}`);
  assert.equal(probe.type, undefined, `Object.prototype.type after ${what}`);
  assert.equal(snapshotPrototypes(), pristine, `a built-in prototype changed after ${what}`);
}

/** An accepted message is a fresh plain object of its type's fields, and parsing it again gives it back. */
function assertExactlyValid(message: Record<string, unknown>, what: string): void {
  assert.equal(Object.getPrototypeOf(message), Object.prototype, `accepted message has a plain prototype: ${what}`);
  const option = optionByType.get(message.type as string);
  assert.ok(option, `accepted message has a known type: ${what}`);
  const allowed = Object.keys(shapeOf(option));
  for (const key of Object.keys(message))
    assert.ok(allowed.includes(key), `accepted message has only its type's fields, not ${key}: ${what}`);
  for (const key of FORBIDDEN_KEYS)
    assert.ok(!Object.prototype.hasOwnProperty.call(message, key), `no own ${key}: ${what}`);
  const again = parseWebviewMessage(message);
  assert.ok(again.ok, `an accepted message parses again: ${what}`);
  assert.deepEqual(again.message, message, `parsing is idempotent: ${what}`);
}

/** Runs the parser on one input: it must not throw, must not touch a prototype, and its reason stays short. */
function parseSafely(value: unknown, what: string) {
  let result: ReturnType<typeof parseWebviewMessage>;
  try {
    result = parseWebviewMessage(value);
  } catch (error) {
    assert.fail(`parseWebviewMessage threw on ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
  assertPrototypesUntouched(what);
  if (!result.ok) {
    assert.ok(result.reason.length <= 300, `the reason stays short (${result.reason.length} chars) for ${what}`);
    for (const huge of HUGE_STRINGS)
      assert.ok(!result.reason.includes(huge.slice(0, 64)), `the reason does not echo a huge string for ${what}`);
  }
  return result;
}

describe("Protocol fuzz: the host's validation of webview messages", function () {
  this.timeout(120_000);

  it('knows every message type of the schema and can break each', () => {
    assert.deepEqual(MESSAGE_TYPES.slice().sort(), [
      'cancel',
      'dismissRun',
      'generate',
      'imageAction',
      'imageMissing',
      'jobAction',
      'queryGallery',
      'ready',
      'recover',
      'select',
      'thumbnail',
      'trashImages',
      'useRecipe',
      'validate',
    ]);
    for (const option of options) assert.ok(isStrict(option), `${literalOf(shapeOf(option).type)} is a strict object`);
  });

  it(`rejects ${MALFORMED_RUNS.toLocaleString('en')} malformed messages without throwing or touching a prototype`, () => {
    const counts = new Map<string, { total: number; rejected: number; acceptedByChance: number }>();
    fc.assert(
      fc.property(malformed, (testCase) => {
        const result = parseSafely(testCase.value, `${testCase.category}: ${testCase.what}`);
        const count = counts.get(testCase.category) ?? { total: 0, rejected: 0, acceptedByChance: 0 };
        counts.set(testCase.category, count);
        count.total++;
        if (!result.ok) {
          count.rejected++;
          return;
        }
        assert.ok(!testCase.mustReject, `accepted ${testCase.category}: ${testCase.what}\n→ ${show(result.message)}`);
        count.acceptedByChance++;
        assertExactlyValid(result.message as Record<string, unknown>, `${testCase.category}: ${testCase.what}`);
      }),
      { numRuns: MALFORMED_RUNS, seed },
    );

    const lines = [...counts].map(
      ([category, count]) =>
        `      ${category}: ${count.total} (${count.rejected} rejected${count.acceptedByChance ? `, ${count.acceptedByChance} valid by chance and exact` : ''})`,
    );
    console.log(`      malformed messages by category:\n${lines.join('\n')}`);
    const total = [...counts.values()].reduce((sum, count) => sum + count.total, 0);
    assert.equal(total, MALFORMED_RUNS);
    assert.ok(
      (counts.get('broken well-formed message')?.total ?? 0) > MALFORMED_RUNS / 2,
      'most cases are near misses of real messages',
    );
  });

  it('rejects a 1 MB string, NaN, ±Infinity and 100,000-level nesting in every field of every message type', () => {
    let checked = 0;
    for (const type of MESSAGE_TYPES) {
      const option = optionByType.get(type);
      const base = fc.sample(wellFormedByType.get(type) as fc.Arbitrary<Record<string, unknown>>, {
        numRuns: 1,
        seed: 7,
      })[0];
      for (const site of sitesOf(clone(base), option, type)) {
        for (const key of Object.keys(shapeOf(site.schema))) {
          for (const bad of [
            ...HUGE_STRINGS,
            NaN,
            Infinity,
            -Infinity,
            deep(100_000, 'object'),
            deep(100_000, 'array'),
          ]) {
            const message = clone(base);
            const target = sitesOf(message, option, type).find((candidate) => candidate.path === site.path) as Site;
            setOwn(target.object, key, bad);
            const result = parseSafely(message, `${site.path}.${key} = ${show(bad)}`);
            assert.ok(!result.ok, `accepted ${site.path}.${key} = ${show(bad)}`);
            checked++;
          }
        }
      }
    }
    console.log(`      ${checked} single-field cases rejected`);
    assert.ok(checked > 200, `${checked} cases`);
  });

  it('rejects __proto__, constructor and prototype keys in every object of every message type', () => {
    let checked = 0;
    for (const type of MESSAGE_TYPES) {
      const option = optionByType.get(type);
      const base = fc.sample(wellFormedByType.get(type) as fc.Arbitrary<Record<string, unknown>>, {
        numRuns: 1,
        seed: 11,
      })[0];
      const json = JSON.stringify(base);
      for (const site of sitesOf(clone(base), option, type)) {
        for (const key of FORBIDDEN_KEYS) {
          const message = clone(base);
          const target = sitesOf(message, option, type).find((candidate) => candidate.path === site.path) as Site;
          setOwn(target.object, key, JSON.parse('{"polluted":true,"prototype":{"polluted":true}}'));
          // Through JSON text too, the way a message crosses from the webview (JSON.parse makes the key an own one).
          const viaJson = JSON.parse(JSON.stringify(message));
          assert.ok(hasOwnKeyDeep(viaJson, key), `JSON.parse kept ${key} as an own key`);
          for (const candidate of [message, viaJson]) {
            const result = parseSafely(candidate, `${site.path}[${key}] in ${json}`);
            assert.ok(!result.ok, `accepted ${site.path}[${key}]`);
            checked++;
          }
        }
      }
      if (type === 'validate') {
        for (const key of FORBIDDEN_KEYS) {
          const result = parseSafely(
            JSON.parse(
              `{"type":"validate","requestId":"q1","request":{"prompt":"x","a":{"b":{${JSON.stringify(key)}:{"polluted":true}}}}}`,
            ),
            `validate.request.a.b[${key}]`,
          );
          assert.ok(!result.ok, `accepted validate.request.a.b[${key}]`);
          checked++;
        }
      }
    }
    console.log(`      ${checked} prototype-key cases rejected`);
  });

  it(`accepts ${WELL_FORMED_RUNS.toLocaleString('en')} well-formed messages generated from the schema, exactly as sent`, () => {
    const accepted = new Map<string, number>();
    fc.assert(
      fc.property(wellFormed, (message) => {
        const what = show(message);
        const result = parseSafely(message, what);
        assert.ok(result.ok, `rejected a well-formed message (${result.ok ? '' : result.reason}): ${what}`);
        const parsed = result.message as Record<string, unknown>;
        accepted.set(String(parsed.type), (accepted.get(String(parsed.type)) ?? 0) + 1);
        assertExactlyValid(parsed, what);
        // Every field as sent; a generate request may only gain its defaults and lose the prompt's outer spaces.
        for (const [key, value] of Object.entries(message)) {
          if (key === 'request' && message.type === 'generate') {
            const request = value as Record<string, unknown>;
            const out = parsed.request as Record<string, unknown>;
            for (const [field, fieldValue] of Object.entries(request)) {
              assert.deepEqual(
                out[field],
                field === 'prompt' ? (fieldValue as string).trim() : fieldValue,
                `generate.request.${field}: ${what}`,
              );
            }
            const defaulted = Object.keys(out).filter((field) => !(field in request));
            // The defaults of the schema of the model the request names.
            const schema = (defOf(namedModelRequestSchema).options as unknown[]).find((option) =>
              (defOf(shapeOf(option).model).values as unknown[]).includes(request.model),
            );
            const defaults = Object.entries(shapeOf(schema))
              .filter(([, field]) => defOf(field).type === 'default')
              .map(([field]) => field);
            for (const field of defaulted)
              assert.ok(defaults.includes(field), `generate.request.${field} appeared without a default: ${what}`);
          } else {
            assert.deepEqual(parsed[key], value, `${String(message.type)}.${key}: ${what}`);
          }
        }
        for (const key of Object.keys(parsed)) assert.ok(key in message, `${key} appeared: ${what}`);
      }),
      { numRuns: WELL_FORMED_RUNS, seed },
    );

    console.log(
      `      accepted by type: ${[...accepted]
        .sort()
        .map(([type, count]) => `${type} ${count}`)
        .join(', ')}`,
    );
    for (const type of MESSAGE_TYPES)
      assert.ok(
        (accepted.get(type) ?? 0) >= WELL_FORMED_RUNS / MESSAGE_TYPES.length / 3,
        `${type} was generated ${accepted.get(type) ?? 0} times`,
      );
  });
});

// ---------------------------------------------------------------- the other side: what media/ sends

/** The `type` of every message media/ posts, read from its `host.post(…)` and `host.request(…)` calls. */
function typesMediaSends(): Set<string> {
  const media = path.resolve(__dirname, '../../../media');
  const types = new Set<string>();
  for (const file of fs.readdirSync(media).filter((name) => name.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(media, file), 'utf8');
    for (const call of text.matchAll(/\bhost\.(?:post|request)\s*(?:<[^()]*>)?\(/g)) {
      // The call's argument list: up to the parenthesis that closes it.
      let depth = 1;
      let end = call.index + call[0].length;
      for (; end < text.length && depth > 0; end++) depth += text[end] === '(' ? 1 : text[end] === ')' ? -1 : 0;
      for (const literal of text.slice(call.index + call[0].length, end).matchAll(/\btype: '([A-Za-z]+)'/g))
        types.add(literal[1]);
    }
  }
  return types;
}

/**
 * One message of each kind, written out as media/main.ts builds it: ids as `Host.newId` makes them, gallery and job
 * ids as the host hands them out (UUIDs), the form's request as media/formModel.ts shapes it.
 */
const form = {
  ...defaultForm({ model: 'ideogram-txt-2-img', byModel: {} }, englishFormChoices),
  prompt: 'A lighthouse at dawn, flat illustration',
  seed: '42',
  paletteMode: 'custom' as const,
  members: [
    { hex: 'ff8800', weight: '0.6' },
    { hex: '#1e90ff', weight: '' },
  ],
};
const ENTRY = '0f8e5a3c-9b2d-4e6f-8a1b-3c5d7e9f0a2b';
const MEDIA_MESSAGES: Array<Record<string, unknown>> = [
  { type: 'ready' },
  { type: 'validate', request: requestInput(form, englishFormChoices), requestId: 'q-wmj1x2k3a-1' },
  { type: 'generate', runId: 'run-wmj1x2k3a-2', request: requestInput(form, englishFormChoices) },
  {
    type: 'generate',
    runId: 'run-wmj1x2k3a-3',
    request: requestInput(
      { ...defaultForm({ model: 'ideogram-3', byModel: {} }, englishFormChoices), prompt: 'x' },
      englishFormChoices,
    ),
    count: 4,
  },
  { type: 'recover', action: 'setApiKey' },
  { type: 'recover', action: 'retry', runId: 'run-wmj1x2k3a-2' },
  { type: 'jobAction', jobId: ENTRY, action: 'checkAgain' },
  { type: 'cancel', runId: 'run-wmj1x2k3a-2' },
  { type: 'dismissRun', runId: 'run-wmj1x2k3a-2' },
  { type: 'imageAction', entryId: ENTRY, action: 'delete', requestId: 'q-wmj1x2k3a-4' },
  { type: 'trashImages', entryIds: [ENTRY, '6b1c0a9e-2f3d-4c5b-8a7e-9d0c1b2a3f4e'], requestId: 'q-wmj1x2k3a-5' },
  { type: 'imageMissing', entryId: ENTRY },
  { type: 'useRecipe', uri: 'file:///home/me/docs/assets/a%20lighthouse.png' },
  { type: 'queryGallery', query: 'lighthouse', offset: 0, limit: 60, requestId: 'q-wmj1x2k3a-6' },
  { type: 'select', entryId: ENTRY },
  {
    type: 'thumbnail',
    entryId: ENTRY,
    data: Buffer.from(
      'RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00',
      'latin1',
    ).toString('base64'),
  },
];

describe('Protocol: the messages media/ really sends', () => {
  it('media/ sends exactly the message types the host parses (no type the host would drop, none the webview never sends)', () => {
    assert.deepEqual([...typesMediaSends()].sort(), [...MESSAGE_TYPES].sort());
  });

  it('the host accepts each, as sent (a generate request only gains its defaults)', () => {
    assert.deepEqual(
      [...new Set(MEDIA_MESSAGES.map((message) => message.type))].sort(),
      [...typesMediaSends()].sort(),
      'one example of each type media/ sends',
    );
    for (const message of MEDIA_MESSAGES) {
      const result = parseWebviewMessage(structuredClone(message));
      assert.ok(result.ok, `${String(message.type)}: ${result.ok ? '' : result.reason}`);
      const parsed = result.message as Record<string, unknown>;
      for (const [key, value] of Object.entries(message)) {
        if (key !== 'request') assert.deepEqual(parsed[key], value, `${String(message.type)}.${key}`);
      }
    }
    const generate = parseWebviewMessage(MEDIA_MESSAGES[2]);
    assert.ok(generate.ok && generate.message.type === 'generate');
    assert.deepEqual(generate.message.request, {
      model: 'ideogram-txt-2-img',
      prompt: 'A lighthouse at dawn, flat illustration',
      magic_prompt_option: 'AUTO',
      style_type: 'GENERAL',
      resolution: 'RESOLUTION_1024_1024',
      seed: 42,
      color_palette: { members: [{ color_hex: '#ff8800', color_weight: 0.6 }, { color_hex: '#1e90ff' }] },
    });
  });
});
