// The `ideogram_generateImage` tool for Copilot's agent mode (`contributes.languageModelTools`): generate an
// image from a prompt, save it into the workspace (never overwriting), optionally insert its link into a
// Markdown document, and tell the model the path, the link and the seed. VS Code asks the user to confirm each
// call with the message `prepareInvocation` returns (prompt, options, estimated cost).
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { IdeogramError } from '../core/errors';
import { type GenerationRequestInput, validateRequest, type ValidRequest } from '../core/request';
import { workspaceRelativePath } from '../links/imageFiles';
import { actionLabel, describeFailure } from '../common/errorMessages';
import { describeRequestProblems } from '../common/requestProblemWording';
import { prepareGeneration } from './pipeline';
import type { GenerationServices } from './generationService';
import type { ImageLinks } from '../links/documentLinks';
import { shorten, withoutUndefined } from '../core/text';
import { formatForFileName, formatForLanguage } from '../core/linkFormats';
import { describeOptions, escapeMarkdown, oneLine } from './agentToolText';
import { isInsideFolder } from '../core/resumeChecks';

export const GENERATE_IMAGE_TOOL = 'ideogram_generateImage';

// The tools API is newer than the VS Code this extension supports (engines ^1.90): its few types are declared
// here, and the tool is registered only where `vscode.lm.registerTool` exists.
export interface ToolInvocationOptions<T> {
  input: T;
  toolInvocationToken?: unknown;
}
export interface PreparedToolInvocation {
  invocationMessage?: string | vscode.MarkdownString;
  confirmationMessages?: { title: string; message: string | vscode.MarkdownString };
}
export interface ToolResult {
  content: unknown[];
}
export interface LanguageModelTool<T> {
  prepareInvocation?(
    options: { input: T },
    token: vscode.CancellationToken,
  ): PreparedToolInvocation | Promise<PreparedToolInvocation>;
  invoke(options: ToolInvocationOptions<T>, token: vscode.CancellationToken): Promise<ToolResult>;
}
interface ToolsApi {
  registerTool?<T>(name: string, tool: LanguageModelTool<T>): vscode.Disposable;
}
interface ToolResultClasses {
  LanguageModelToolResult: new (content: unknown[]) => ToolResult;
  LanguageModelTextPart: new (value: string) => unknown;
}

const toolInputSchema = z.object({
  prompt: z.string(),
  /** A model of src/core/models/registry.ts; default: the user's `ideogram.defaultModel`. Checked by validateRequest. */
  model: z.optional(z.string()),
  // The V2 options by name, as the tool always took them; any model's options also go in `options`.
  style_type: z.optional(z.string()),
  resolution: z.optional(z.string()),
  negative_prompt: z.optional(z.string()),
  magic_prompt_option: z.optional(z.string()),
  seed: z.optional(z.number()),
  /** The model's other options by Segmind field name (rendering_speed, num_images…), validated against that model. */
  options: z.optional(z.record(z.string(), z.unknown())),
  document: z.optional(z.string()),
  line: z.optional(z.int().check(z.minimum(1))),
});
export type GenerateImageToolInput = z.infer<typeof toolInputSchema>;

type Dependencies = GenerationServices & { links: ImageLinks };

type Checked = { ok: true; request: ValidRequest; input: GenerateImageToolInput } | { ok: false; problem: string };

export class GenerateImageTool implements LanguageModelTool<unknown> {
  readonly #deps: Dependencies;
  constructor(deps: Dependencies) {
    this.#deps = deps;
  }

  prepareInvocation(options: { input: unknown }): PreparedToolInvocation {
    const checked = this.#check(options.input);
    if (!checked.ok) return { invocationMessage: vscode.l10n.t('Checking the image request…') };
    const { request, input } = checked;
    const estimate = this.#deps.spending.describe(this.#deps.spending.estimate(request));
    const lines = [
      // One line each: a prompt's line breaks could otherwise forge an "Options" or "Cost" line.
      `**${vscode.l10n.t('Prompt')}:** ${escapeMarkdown(oneLine(request.prompt))}`,
      `**${vscode.l10n.t('Options')}:** ${describeOptions(request)}`,
      `**${vscode.l10n.t('Cost')}:** ${escapeMarkdown(estimate)}`,
      input.document
        ? `**${vscode.l10n.t('Link inserted into')}:** ${escapeMarkdown(oneLine(input.document))}`
        : undefined,
    ].filter((line): line is string => line !== undefined);
    return {
      invocationMessage: vscode.l10n.t('Generating “{0}” with Ideogram…', shorten(request.prompt)),
      confirmationMessages: {
        title: vscode.l10n.t('Generate an image with Ideogram?'),
        message: new vscode.MarkdownString(lines.join('\n\n')),
      },
    };
  }

  async invoke(options: ToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<ToolResult> {
    return textResult(await this.run(options.input, token));
  }

  /** The text the model gets back: what was saved and where, or why nothing was. */
  async run(rawInput: unknown, token: vscode.CancellationToken): Promise<string> {
    const { service, spending, log } = this.#deps;
    const checked = this.#check(rawInput);
    if (!checked.ok)
      return vscode.l10n.t(
        'No image was generated: the input is not valid ({0}). Fix it and call the tool again.',
        checked.problem,
      );
    const { request, input } = checked;
    let document: vscode.TextDocument | undefined;
    if (input.document) {
      // Refused before anything is opened: the tool writes (and saves) only a document of ours inside the workspace.
      const target = toolDocument(input.document);
      if (!target) {
        return vscode.l10n.t(
          'No image was generated: "{0}" is not a document the tool may write to. Give a workspace-relative path of a Markdown, MDX, HTML, AsciiDoc, reStructuredText, LaTeX, JSX/TSX, Vue or Svelte file inside the workspace.',
          oneLine(input.document),
        );
      }
      try {
        document = await vscode.workspace.openTextDocument(target);
        if (!formatForLanguage(document.languageId)) throw new Error('not a supported format');
      } catch {
        return vscode.l10n.t(
          'No image was generated: the document "{0}" could not be opened. Give a workspace-relative path of an existing Markdown file.',
          input.document,
        );
      }
    }
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      // The same preparation as every other entry point, without UI: a model cannot answer a key box or a picker.
      const preparation = await prepareGeneration(this.#deps, {
        document,
        folder: 'document',
        askForKey: false,
        signal: controller.signal,
      });
      if (!preparation.ok) throw preparation.failure;
      const saved = await service.generate(preparation.prepared, {
        request,
        signal: controller.signal,
        origin: 'copilot',
      });
      const relative = workspaceRelativePath(saved.uri);
      const link = this.#deps.links.linkFor(document, saved.prompt, saved.uri);
      const lines = [vscode.l10n.t('Saved the image as {0}.', relative), vscode.l10n.t('Markdown link: {0}', link)];
      // A model that made several images in the job: every one is saved; the link is the first's.
      if (saved.others?.length)
        lines.push(
          vscode.l10n.t(
            'The job made {0} more images, saved as: {1}',
            saved.others.length,
            saved.others.map((other) => workspaceRelativePath(other.uri)).join(', '),
          ),
        );
      if (saved.image.seed !== undefined) lines.push(vscode.l10n.t('Seed: {0}', saved.image.seed));
      const cost = spending.describeReported(saved.image);
      if (cost) lines.push(vscode.l10n.t('Cost: {0}', cost));
      if (document) {
        const inserted = await insertLink(document, link, input.line);
        lines.push(
          inserted
            ? vscode.l10n.t('Inserted the link into {0}.', workspaceRelativePath(document.uri))
            : vscode.l10n.t(
                'The link could not be inserted into {0}; insert it yourself.',
                workspaceRelativePath(document.uri),
              ),
        );
      }
      return lines.join('\n');
    } catch (error) {
      const { message, kind, actions } = describeFailure(error);
      log.warn(`Copilot tool: no image (${kind}): ${message}`);
      const billed = error instanceof IdeogramError && error.mayHaveBeenBilled;
      // The fixing actions are the user's to take: the model is told which ones, by the labels the user sees.
      const fixes = actions.filter((action) => action !== 'retry' && action !== 'showLog');
      const ask = fixes.length
        ? ` ${vscode.l10n.t('Ask the user to fix this ({0}), then call the tool again.', fixes.map(actionLabel).join(', '))}`
        : '';
      return `${vscode.l10n.t('No image was generated: {0}', message)}${ask}${billed ? '' : ` ${vscode.l10n.t('Do not retry unless the user asks.')}`}`;
    } finally {
      cancellation.dispose();
    }
  }

  /** The input as a request, with the user's defaults for what the model left out. */
  #check(rawInput: unknown): Checked {
    const parsed = toolInputSchema.safeParse(rawInput);
    if (!parsed.success)
      return {
        ok: false,
        problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; '),
      };
    const { document: _document, line: _line, options: modelOptions, ...options } = parsed.data;
    const scope = parsed.data.document ? safeUri(parsed.data.document) : vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaults = this.#deps.settings.generationDefaults(scope, parsed.data.model);
    // The user's defaults for the model asked for; the agent's options win, and the model's schema judges them all.
    const validation = validateRequest({
      model: defaults.model,
      ...defaults.options,
      ...withoutUndefined(options),
      ...modelOptions,
    } as GenerationRequestInput);
    if (!validation.ok) return { ok: false, problem: describeRequestProblems(validation.problems) };
    return { ok: true, request: validation.request, input: parsed.data };
  }
}

/** Registers the tool where VS Code has the tools API (1.95+); elsewhere nothing (the tool is just not offered). */
export function registerGenerateImageTool(tool: GenerateImageTool, log: vscode.LogOutputChannel): vscode.Disposable {
  const api = vscode.lm as unknown as ToolsApi;
  if (typeof api.registerTool !== 'function') {
    log.info('Copilot tool: this VS Code has no language model tools API; the tool is not registered');
    return new vscode.Disposable(() => undefined);
  }
  return api.registerTool(GENERATE_IMAGE_TOOL, tool);
}

function textResult(text: string): ToolResult {
  const classes = vscode as unknown as Partial<ToolResultClasses>;
  if (!classes.LanguageModelToolResult || !classes.LanguageModelTextPart) return { content: [{ value: text }] };
  return new classes.LanguageModelToolResult([new classes.LanguageModelTextPart(text)]);
}

async function insertLink(document: vscode.TextDocument, link: string, line: number | undefined): Promise<boolean> {
  const position =
    line !== undefined && line <= document.lineCount
      ? document.lineAt(line - 1).range.end
      : document.lineAt(document.lineCount - 1).range.end;
  const atEmptyEnd = line === undefined && document.lineAt(document.lineCount - 1).isEmptyOrWhitespace;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, position, atEmptyEnd ? `${link}\n` : `\n\n${link}\n`);
  return (await vscode.workspace.applyEdit(edit)) && (await document.save());
}

/**
 * The document the tool may insert a link into: a file of a supported format, inside a workspace folder, reached
 * without `..` (kept segments could lead out), with the workspace folder's scheme. Undefined for anything else.
 */
function toolDocument(path: string): vscode.Uri | undefined {
  if (path.split(/[\\/]+/).some((segment) => segment === '..')) return undefined;
  const uri = safeUri(path);
  if (!uri || !formatForFileName(uri.path)) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== uri.scheme || !isInsideFolder(uri.toString(), folder.uri.toString()))
    return undefined;
  return uri;
}

/** A file URI, an absolute path, or a path relative to a workspace folder (the first one holding it). */
function safeUri(path: string): vscode.Uri | undefined {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path)) {
    try {
      return vscode.Uri.parse(path, true);
    } catch {
      return undefined;
    }
  }
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path)) return vscode.Uri.file(path);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder
    ? vscode.Uri.joinPath(folder.uri, ...path.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.'))
    : undefined;
}
