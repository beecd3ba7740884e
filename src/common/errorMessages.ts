// Every failure a user can meet, worded in one place: the core and the host areas throw an IdeogramError that
// carries what happened as data (src/core/errors.ts); this module turns it into a sentence in the user's language
// and picks the actions that fix it, for the notification, the sidebar, the jobs list and the language model tool.
import * as vscode from 'vscode';
import { formatCredits } from '../core/cost';
import { IdeogramError, jobGoesOn, type FailureKind, type RecoveryAction } from '../core/errors';
import { DEFAULT_MODEL, modelBySlug } from '../core/models/registry';
import {
  COLOR_WEIGHT_MAX,
  COLOR_WEIGHT_MIN,
  PALETTE_MAX_MEMBERS,
  PALETTE_PRESETS,
  PROMPT_MAX_LENGTH,
  type RequestProblem,
} from '../core/request';
import { COMMAND, SETTINGS_SECTION } from './ids';
import { reportFailureShown } from './testMode';

export const SEGMIND_BILLING_URL = 'https://cloud.segmind.com/console/billing';
export const SEGMIND_USAGE_URL = 'https://cloud.segmind.com/console/usage';

const ACTION_LABELS: Record<RecoveryAction, () => string> = {
  setApiKey: () => vscode.l10n.t('Set API Key'),
  openBilling: () => vscode.l10n.t('Open Billing Page'),
  showLog: () => vscode.l10n.t('Show Log'),
  retry: () => vscode.l10n.t('Try Again'),
  openSettings: () => vscode.l10n.t('Open Settings'),
  checkStatus: () => vscode.l10n.t('Check Usage'),
  showJobs: () => vscode.l10n.t('Show Jobs'),
};

export interface DescribedFailure {
  message: string;
  actions: RecoveryAction[];
  kind: FailureKind;
}

/** The text of anything thrown, for logs: the one place that looks inside an unknown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Anything thrown, as an IdeogramError: the file system's failures and the unexpected get kinds of their own. */
export function asIdeogramError(error: unknown): IdeogramError {
  if (error instanceof IdeogramError) return error;
  if (error instanceof vscode.FileSystemError) return new IdeogramError({ kind: 'file-system', text: error.message });
  return new IdeogramError({ kind: 'unexpected', text: errorText(error) });
}

/** Words a failure and picks its fixing actions; never a stack trace. */
export function describeFailure(error: unknown): DescribedFailure {
  const failure = asIdeogramError(error);
  const [message, actions] = word(failure);
  return {
    message,
    actions: jobGoesOn(failure) ? actions.filter((action) => action !== 'retry') : actions,
    kind: failure.kind,
  };
}

const MEGABYTE = 1024 * 1024;

/** What is wrong with one option of a request, as the sidebar shows it beside the field. */
export function describeRequestProblem(problem: RequestProblem): string {
  // The model's own choices and range travel with the problem (src/core/request.ts); a problem without them is the default model's.
  const model = modelBySlug(problem.model) ?? DEFAULT_MODEL;
  const option = model.options.find((each) => each.name === problem.path);
  const choices = (problem.choices ?? (option?.kind === 'enum' ? option.choices : [])).join(', ');
  const range = {
    min: problem.min ?? (option?.kind === 'integer' ? option.min : 0),
    max: problem.max ?? (option?.kind === 'integer' ? option.max : 0),
  };
  switch (problem.code) {
    case 'prompt-missing':
      return vscode.l10n.t('Prompt is required');
    case 'prompt-empty':
      return vscode.l10n.t('Prompt is empty: describe the image you want');
    case 'prompt-too-long':
      return vscode.l10n.t('Prompt is longer than {0} characters', PROMPT_MAX_LENGTH);
    case 'prompt-no-words':
      return vscode.l10n.t('Prompt has no words: describe the image you want');
    case 'negative-prompt-too-long':
      return vscode.l10n.t('Negative prompt is longer than {0} characters', PROMPT_MAX_LENGTH);
    case 'magic-prompt-invalid':
      return choices
        ? vscode.l10n.t('Magic prompt must be one of {0}', choices)
        : vscode.l10n.t('{0} must be true or false', problem.path);
    case 'resolution-invalid': {
      const sizes = problem.choices ?? (option?.kind === 'enum' ? option.choices : []);
      const example = option?.kind === 'enum' ? option.default : (sizes[0] ?? '');
      return sizes.length > 10
        ? vscode.l10n.t(
            'Resolution must be one of the {0} resolutions of {1}, e.g. {2}',
            sizes.length,
            model.displayName,
            example,
          )
        : vscode.l10n.t('Size must be one of {0}', sizes.join(', '));
    }
    case 'style-invalid':
      return vscode.l10n.t('Style must be one of {0}', choices);
    case 'seed-not-whole':
      return vscode.l10n.t('Seed must be a whole number');
    case 'seed-out-of-range':
      return vscode.l10n.t('Seed must be between {0} and {1}', range.min, range.max);
    case 'model-unknown':
      return vscode.l10n.t('Model must be one of {0}', (problem.choices ?? []).join(', '));
    case 'speed-invalid':
      return vscode.l10n.t('Rendering speed must be one of {0} for {1}', choices, model.displayName);
    case 'image-count-not-whole':
      return vscode.l10n.t('The number of images must be a whole number');
    case 'image-count-out-of-range':
      return vscode.l10n.t('The number of images must be between {0} and {1}', range.min, range.max);
    case 'format-invalid':
      return vscode.l10n.t('File format must be one of {0}', choices);
    case 'colour-invalid':
      return vscode.l10n.t('Colour must be #RGB or #RRGGBB, e.g. #1e90ff');
    case 'colour-weight-not-number':
      return vscode.l10n.t('Colour weight must be a number');
    case 'colour-weight-too-small':
      return vscode.l10n.t('Colour weight must be at least {0}', COLOR_WEIGHT_MIN);
    case 'colour-weight-too-large':
      return vscode.l10n.t('Colour weight must be at most {0}', COLOR_WEIGHT_MAX);
    case 'palette-preset-invalid':
      return vscode.l10n.t('Palette preset must be one of {0}', PALETTE_PRESETS.join(', '));
    case 'palette-empty':
      return vscode.l10n.t('A custom palette needs at least one colour');
    case 'palette-too-many':
      return vscode.l10n.t('A custom palette has at most {0} colours', PALETTE_MAX_MEMBERS);
    case 'palette-both':
      return vscode.l10n.t(
        'Colour palette must be either a preset name or a list of 1 to {0} colours, not both',
        PALETTE_MAX_MEMBERS,
      );
    case 'palette-shape':
      return vscode.l10n.t(
        'Colour palette must be {0} or {1}',
        '{"name": <preset>}',
        '{"members": [{"color_hex": "#RRGGBB", "color_weight": 0.5}]}',
      );
    case 'palette-entry-colons':
      return vscode.l10n.t('"{0}" has more than one ":"', problem.entry ?? '');
    case 'palette-weight-not-number':
      return vscode.l10n.t('"{0}": weight "{1}" is not a number', problem.entry ?? '', problem.weight ?? '');
    case 'unknown-options':
      return vscode.l10n.t('Unknown option(s): {0}', (problem.keys ?? []).join(', '));
    case 'invalid-value':
      return vscode.l10n.t('This value is not valid');
  }
}

/** Several problems in one sentence, each with the option it is about (as the request's JSON names it). */
export function describeRequestProblems(problems: readonly RequestProblem[]): string {
  return problems
    .map((problem) => {
      const sentence = describeRequestProblem(problem);
      return problem.path && problem.code !== 'unknown-options' ? `${problem.path}: ${sentence}` : sentence;
    })
    .join('; ');
}

function word(failure: IdeogramError): [string, RecoveryAction[]] {
  const { reason, facts } = failure;
  // A billed image whose download failed (whatever the failure's kind): kept and fetched again, or given up.
  if (reason === 'download-kept')
    return [
      vscode.l10n.t(
        'The image was generated (and probably billed), but {0}. The job is kept and its image fetched again in {1} s (or now with Check Again in the jobs list); nothing needs generating again.',
        downloadFailurePhrase(facts),
        facts.seconds ?? '?',
      ),
      ['showJobs', 'showLog'],
    ];
  if (reason === 'download-gave-up')
    return [
      vscode.l10n.t(
        'The image was generated and billed, but it could not be downloaded after {0} tries (the last time, {1}), so the job ended without an image. Check your Segmind usage; the log has each failure.',
        facts.tries ?? 1,
        downloadFailurePhrase(facts),
      ),
      ['checkStatus', 'showLog'],
    ];
  // What the API said, as a sentence to append (with its leading space), or nothing.
  const said = facts.apiMessage
    ? ` ${vscode.l10n.t('The API said: "{0}".', facts.apiMessage.replace(/[.\s]+$/, ''))}`
    : '';
  const redirected = facts.redirected === true;
  switch (failure.kind) {
    case 'invalid-request':
      if (reason === 'options-invalid')
        return [
          vscode.l10n.t('The image options are not valid: {0}', describeRequestProblems(facts.problems ?? [])),
          ['openSettings'],
        ];
      return [
        vscode.l10n.t('Segmind rejected the request as invalid (400).{0} Check the prompt and options.', said),
        ['showLog'],
      ];
    case 'unauthorized':
      return [
        vscode.l10n.t('Segmind did not accept the API key (401). Set a valid key with "Ideogram: Set API Key".'),
        ['setApiKey'],
      ];
    case 'forbidden':
      return [
        vscode.l10n.t(
          "Your Segmind account may not use this model (403).{0} Check your team's permissions or use another key.",
          said,
        ),
        ['setApiKey'],
      ];
    case 'not-found':
      return [
        vscode.l10n.t('The Segmind endpoint was not found (404). Check the "ideogram.apiEndpoint" setting.'),
        ['openSettings'],
      ];
    case 'method-not-allowed':
      return [
        vscode.l10n.t('The endpoint does not accept image requests (405). Check the "ideogram.apiEndpoint" setting.'),
        ['openSettings'],
      ];
    case 'insufficient-credits':
      return [
        facts.remainingCredits !== undefined
          ? vscode.l10n.t(
              'Not enough Segmind credits for this image ({0}): {1} credits left. Top up your balance on segmind.com, then try again.',
              facts.status ?? 402,
              formatCredits(facts.remainingCredits),
            )
          : vscode.l10n.t(
              'Not enough Segmind credits for this image ({0}). Top up your balance on segmind.com, then try again.',
              facts.status ?? 402,
            ),
        ['openBilling'],
      ];
    case 'unsupported-content-type':
      return [
        vscode.l10n.t(
          "Segmind refused the request's content type (406).{0} This is a bug in the extension: please report it with the log.",
          said,
        ),
        ['showLog'],
      ];
    case 'gone':
      return [
        vscode.l10n.t(
          'Segmind has retired this model (410). Check Segmind\'s model list and update the "ideogram.apiEndpoint" setting.',
        ),
        ['checkStatus'],
      ];
    case 'safety-refusal':
      if (reason === 'image')
        return [
          vscode.l10n.t(
            "The generated image failed Ideogram's safety check, so no image was returned. Rephrase the prompt and try again.",
          ),
          [],
        ];
      if (reason === 'job')
        return [
          vscode.l10n.t(
            'The prompt was refused by the safety check.{0} Rephrase the prompt and try again. Nothing was charged.',
            said,
          ),
          [],
        ];
      return [
        vscode.l10n.t('The prompt was refused by the safety check (422).{0} Rephrase the prompt and try again.', said),
        [],
      ];
    case 'rate-limited':
      return [
        facts.resetAt
          ? vscode.l10n.t(
              "Segmind's rate limit was reached (429). It resets at {0} UTC. Wait a moment and try again.",
              facts.resetAt.toISOString().slice(11, 19),
            )
          : vscode.l10n.t("Segmind's rate limit was reached (429). Wait a moment and try again."),
        ['retry'],
      ];
    case 'server-error':
      return [
        vscode.l10n.t(
          'Segmind failed while generating the image (500).{0} Try again; if it keeps failing, try other options.',
          said,
        ),
        ['retry', 'showLog'],
      ];
    case 'bad-gateway':
      return [vscode.l10n.t("Segmind's gateway had a problem (502). Try again in a moment."), ['retry']];
    case 'service-unavailable':
      return [
        vscode.l10n.t('Segmind is temporarily unavailable (503). Try again in a moment.'),
        ['retry', 'checkStatus'],
      ];
    case 'gateway-timeout':
      return [
        vscode.l10n.t(
          "Segmind's gateway timed out (504). The image may still have been charged; check your Segmind usage before retrying.",
        ),
        ['retry', 'checkStatus'],
      ];
    case 'http-error':
      if (reason === 'endpoint-redirect') {
        return [
          vscode.l10n.t(
            'The API endpoint answered with a redirect, which Ideogram does not follow so your key cannot be sent elsewhere. Check the "ideogram.apiEndpoint" setting.',
          ),
          ['openSettings'],
        ];
      }
      return [
        vscode.l10n.t('Segmind answered with an unexpected status {0}.{1}', facts.status ?? '?', said),
        ['showLog'],
      ];
    case 'network':
      if (reason === 'download-broke') {
        return [
          vscode.l10n.t(
            'The connection broke while the image was downloading ({0}). The request may have been charged; try again.',
            facts.cause ?? '?',
          ),
          ['retry', 'showLog'],
        ];
      }
      return [
        vscode.l10n.t(
          'Could not reach Segmind ({0}). Check your internet connection or proxy and try again.',
          facts.cause ?? '?',
        ),
        ['retry', 'showLog'],
      ];
    case 'timeout':
      if (reason === 'job-wait') {
        return [
          vscode.l10n.t(
            'Segmind has not finished after {0} s. The job keeps running: its image will be saved into the gallery when it arrives (see the jobs list in the Ideogram sidebar).',
            facts.seconds ?? '?',
          ),
          ['showJobs', 'showLog'],
        ];
      }
      return [
        reason === 'idle'
          ? vscode.l10n.t(
              'Segmind stopped sending data. The request was sent and may have been charged, so it was not retried automatically; check your Segmind usage before trying again.',
            )
          : vscode.l10n.t(
              'Segmind did not answer in time. The request was sent and may have been charged, so it was not retried automatically; check your Segmind usage before trying again.',
            ),
        ['checkStatus', 'showLog'],
      ];
    case 'cancelled':
      switch (reason) {
        case 'after-send':
          return [
            vscode.l10n.t(
              'Generation cancelled. The request had already been sent, so Segmind may still charge for it.',
            ),
            [],
          ];
        case 'retry-wait':
          return [vscode.l10n.t('Generation cancelled while waiting to retry. Nothing was charged.'), []];
        case 'stopped-waiting':
          return [vscode.l10n.t('Stopped waiting for the image.'), []];
        case 'discarded':
          return [vscode.l10n.t('The job was discarded. Segmind may still charge for it.'), []];
        case 'declined':
          return [vscode.l10n.t('Not generated. Nothing was sent to Segmind.'), []];
        case 'before-submit':
          return [vscode.l10n.t('Generation cancelled. Nothing was sent to Segmind.'), []];
        case 'sidebar':
          return [vscode.l10n.t('Cancelled.'), []];
        default:
          return [vscode.l10n.t('Generation cancelled.'), []];
      }
    case 'stopped-waiting':
      return [
        vscode.l10n.t(
          'Stopped waiting. Segmind may still charge for this image; if it arrives, it is saved into the gallery (Ideogram sidebar), not inserted.',
        ),
        [],
      ];
    case 'bad-response':
      return wordBadResponse(failure, redirected);
    case 'too-large':
      return [
        vscode.l10n.t(
          "Segmind's answer is larger than {0} MB ({1} MB so far), which no Ideogram image is: it was not saved. See the log.",
          Math.round((facts.maxBytes ?? 0) / MEGABYTE),
          Math.round((facts.bytes ?? 0) / MEGABYTE),
        ),
        ['showLog'],
      ];
    case 'invalid-endpoint':
      if (reason === 'not-a-url')
        return [
          vscode.l10n.t(
            'The API endpoint "{0}" is not a valid URL. Fix the "ideogram.apiEndpoint" setting.',
            facts.endpoint ?? '',
          ),
          ['openSettings'],
        ];
      if (reason === 'credentials')
        return [
          vscode.l10n.t(
            'The API endpoint must not contain a user name or password. Fix the "ideogram.apiEndpoint" setting.',
          ),
          ['openSettings'],
        ];
      return [
        vscode.l10n.t(
          'The API endpoint must use https:// (plain http:// is allowed only for localhost), so the API key is never sent in clear text: "{0}". Fix the "ideogram.apiEndpoint" setting.',
          facts.endpoint ?? '',
        ),
        ['openSettings'],
      ];
    case 'missing-api-key':
      if (reason === 'key-characters') {
        return [
          vscode.l10n.t(
            'The Segmind API key contains spaces, line breaks or characters that are not plain ASCII (often an invisible character pasted with it). Set it again with "Ideogram: Set API Key".',
          ),
          ['setApiKey'],
        ];
      }
      return [vscode.l10n.t('Ideogram needs a Segmind API key to generate images.'), ['setApiKey']];
    case 'generation-failed':
      return [
        vscode.l10n.t('Segmind could not generate the image.{0} Nothing was charged; try again.', said),
        ['retry', 'showLog'],
      ];
    case 'expired':
      return [
        vscode.l10n.t(
          'Segmind no longer has this generation (it keeps a job for one hour). It may have been billed, but the image could not be recovered.',
        ),
        ['checkStatus'],
      ];
    case 'interrupted':
      if (reason === 'lost-before-id') {
        return [
          vscode.l10n.t(
            'A generation ("{0}") was interrupted while it was being sent to Segmind, before a job id came back. It may have been billed, but its image cannot be recovered.',
            facts.prompt ?? '',
          ),
          ['checkStatus'],
        ];
      }
      return [vscode.l10n.t('Another window took over this generation; it saves the image.'), []];
    case 'budget-exceeded':
      return [
        vscode.l10n.t(
          'Not generated: today\'s spend on this machine ({0} credits) plus this request ({1}) would pass your daily limit of {2} credits. Nothing was sent. To go on, raise "ideogram.dailyCreditLimit" in your user settings.',
          formatCredits(facts.spentToday ?? 0),
          facts.cost === undefined ? vscode.l10n.t('cost unknown') : formatCredits(facts.cost),
          formatCredits(facts.limit ?? 0),
        ),
        ['openSettings'],
      ];
    case 'no-folder':
      return [
        reason === 'choose-folder'
          ? vscode.l10n.t('Choose the workspace folder the image should be saved in.')
          : vscode.l10n.t("Open a folder first: Ideogram saves images into the workspace's assets folder."),
        [],
      ];
    case 'invalid-setting':
      return [wordInvalidSetting(failure), ['openSettings']];
    case 'file-system':
      if (reason === 'no-free-name')
        return [
          vscode.l10n.t('Could not find a free file name for {0} in {1}.', facts.fileName ?? '', facts.path ?? ''),
          ['openSettings'],
        ];
      return [vscode.l10n.t('Could not write the image: {0}', facts.text ?? ''), ['showLog']];
    case 'unexpected':
      return [vscode.l10n.t('Image generation failed: {0}', facts.text || vscode.l10n.t('unknown error')), ['showLog']];
    default:
      return unreachable(failure.kind);
  }
}

/** What went wrong with a billed image's download, as a clause ("the download was cut off (10 of 20 bytes)"). */
function downloadFailurePhrase(facts: IdeogramError['facts']): string {
  switch (facts.downloadFailure) {
    case 'cut-off':
      return vscode.l10n.t('the download was cut off ({0} of {1} bytes)', facts.bytes ?? 0, facts.declaredBytes ?? '?');
    case 'download-broke':
      return vscode.l10n.t('the connection broke while the image was downloading ({0})', facts.cause ?? '?');
    case 'not-an-image':
      return vscode.l10n.t(
        'what came back is not an image ({0})',
        facts.contentType ?? vscode.l10n.t('no content type'),
      );
    case 'empty-image':
      return vscode.l10n.t('what came back is an empty image');
    case 'download-status':
      return vscode.l10n.t('downloading it from {0} failed (HTTP {1})', facts.host ?? '', facts.status ?? '?');
    // Another failure (a status, a timeout): the log has its details.
    default:
      return vscode.l10n.t('its download failed');
  }
}

function wordBadResponse({ reason, facts }: IdeogramError, redirected: boolean): [string, RecoveryAction[]] {
  switch (reason) {
    case 'malformed-json':
      return [
        vscode.l10n.t(
          'Segmind answered with malformed JSON instead of an image. The request may have been charged; see the log.',
        ),
        ['showLog'],
      ];
    case 'invalid-base64':
      return [
        vscode.l10n.t(
          'Segmind answered with an "image" field that is not valid base64. The request may have been charged; see the log.',
        ),
        ['showLog'],
      ];
    case 'unrecognised-json':
      return [
        vscode.l10n.t(
          'Segmind answered with JSON the extension does not recognise, and no image. The request may have been charged; see the log.',
        ),
        ['showLog'],
      ];
    case 'no-job-id':
      return [
        vscode.l10n.t(
          'Segmind accepted the request but sent no job id, so its image cannot be fetched. It may have been charged; check your Segmind usage before trying again.',
        ),
        ['checkStatus', 'showLog'],
      ];
    case 'no-image-in-result':
      return [
        vscode.l10n.t(
          'Segmind finished the job but its result holds no image the extension recognises. It was probably charged; see the log.',
        ),
        ['showLog', 'checkStatus'],
      ];
    case 'inline-image':
      return [
        vscode.l10n.t(
          'Segmind finished the job but sent the image inline, which the async route is not known to do. See the log.',
        ),
        ['showLog'],
      ];
    case 'unreadable-result':
      return [
        vscode.l10n.t(
          'Segmind finished the image but its result could not be read. It is kept as a job; Ideogram tries again on the next start.',
        ),
        ['showLog'],
      ];
    case 'download-status':
      return [
        vscode.l10n.t(
          'The image was generated, but downloading it from {0} failed (HTTP {1}). The request was probably charged; try again.',
          facts.host ?? '',
          facts.status ?? '?',
        ),
        ['retry', 'showLog'],
      ];
    case 'cut-off':
      return [
        vscode.l10n.t(
          'The image download was cut off ({0} of {1} bytes). The request may have been charged; try again.',
          facts.bytes ?? 0,
          facts.declaredBytes ?? '?',
        ),
        ['retry', 'showLog'],
      ];
    case 'empty-image':
      return [
        vscode.l10n.t('Segmind answered with an empty image. The request may have been charged; try again.'),
        ['retry', 'showLog'],
      ];
    case 'not-an-image':
      return [
        vscode.l10n.t(
          'Segmind answered with something that is not an image ({0}). The request may have been charged; see the log for details.',
          facts.contentType ?? vscode.l10n.t('no content type'),
        ),
        ['showLog', 'retry'],
      ];
    case 'link-no-target':
      return [
        vscode.l10n.t(
          'The image link answered with a redirect (HTTP {0}) without a target; the image was not downloaded.',
          facts.status ?? '?',
        ),
        ['showLog'],
      ];
    case 'too-many-redirects':
      return [
        vscode.l10n.t(
          'The image link redirected more than {0} times; the image was not downloaded.',
          facts.redirects ?? '?',
        ),
        ['showLog'],
      ];
    case 'link-invalid':
      return [
        redirected
          ? vscode.l10n.t(
              'The image link redirected to something that is not a valid URL; the image was not downloaded.',
            )
          : vscode.l10n.t('Segmind answered with an image link that is not a valid URL. See the log.'),
        ['showLog'],
      ];
    case 'link-not-https':
      return [
        redirected
          ? vscode.l10n.t(
              'The image link redirected to an address that is not https ({0}); it was not downloaded.',
              facts.protocol ?? '',
            )
          : vscode.l10n.t(
              'Segmind answered with an image link that is not https ({0}); it was not downloaded.',
              facts.protocol ?? '',
            ),
        ['showLog'],
      ];
    case 'link-local':
      return [
        redirected
          ? vscode.l10n.t(
              'The image link redirected to an address on this computer or its local network ({0}), which a remote API has no business using; it was not downloaded.',
              facts.host ?? '',
            )
          : vscode.l10n.t(
              'Segmind answered with an image link on this computer or its local network ({0}), which a remote API has no business using; it was not downloaded.',
              facts.host ?? '',
            ),
        ['showLog'],
      ];
    case 'link-credentials':
      return [
        redirected
          ? vscode.l10n.t(
              'The image link redirected to an address with a user name or password in it; it was not downloaded.',
            )
          : vscode.l10n.t(
              'Segmind answered with an image link with a user name or password in it; it was not downloaded.',
            ),
        ['showLog'],
      ];
    default:
      return [
        vscode.l10n.t(
          'Segmind answered with something the extension could not use. The request may have been charged; see the log.',
        ),
        ['showLog'],
      ];
  }
}

function wordInvalidSetting({ reason, facts }: IdeogramError): string {
  const folder = facts.value ?? '';
  switch (reason) {
    case 'absolute':
      return vscode.l10n.t(
        'The assets folder "{0}" must be relative to the workspace folder (e.g. "assets" or "docs/images"), not absolute.',
        folder,
      );
    case 'parent':
      return vscode.l10n.t(
        'The assets folder "{0}" must stay inside the workspace folder: ".." is not allowed.',
        folder,
      );
    case 'characters':
      return vscode.l10n.t('The assets folder "{0}" contains characters that are not allowed in folder names.', folder);
    case 'trailing-dot-or-space':
      return vscode.l10n.t(
        'The assets folder "{0}" has a folder name that ends with a dot or a space, which Windows cannot keep.',
        folder,
      );
    case 'unknown-variable':
      return vscode.l10n.t(
        'The assets folder "{0}" uses the unknown variable {1}; use {2}.',
        folder,
        facts.variable ?? '',
        (facts.allowed ?? []).join(', '),
      );
    case 'empty-template':
      return vscode.l10n.t('The setting {0} is empty.', facts.setting ?? '');
    case 'remote-template':
      return vscode.l10n.t(
        'The setting {0} puts {1} into a web address, which would send your prompts to that site whenever a preview shows the link; it is not used.',
        facts.setting ?? '',
        facts.variable ?? '',
      );
    case 'unknown-template-variable':
      return vscode.l10n.t(
        'The setting {0} uses the unknown variable {1}; use {2}.',
        facts.setting ?? '',
        facts.variable ?? '',
        (facts.allowed ?? []).join(', '),
      );
    case 'copy-files-outside':
      return vscode.l10n.t(
        'markdown.copyFiles.destination puts this image in {0}, outside the workspace folder {1} (or in a folder name no file system takes). Ideogram saves only inside the workspace: change that setting, or set ideogram.assetsFolder.',
        facts.path ?? '',
        facts.folderName ?? '',
      );
    case 'symlink-outside':
      return vscode.l10n.t(
        'Nothing was saved in {0}: {1} is a symbolic link that leads outside the workspace folder "{2}". Remove the link, or set "ideogram.assetsFolder" to a folder inside the workspace.',
        facts.path ?? '',
        facts.through ?? '',
        facts.folderName ?? '',
      );
    default:
      return vscode.l10n.t('An Ideogram setting cannot be used as it is. Check the "ideogram." settings.');
  }
}

function unreachable(kind: never): never {
  throw new Error(`unworded failure kind ${String(kind)}`);
}

/**
 * Carries out a recovery action chosen from an error message or the sidebar. Open Settings shows the setting the
 * failure names (`setting`), else all of the extension's.
 */
export async function performRecoveryAction(
  action: RecoveryAction,
  log: vscode.LogOutputChannel,
  retry?: () => unknown,
  setting?: string,
): Promise<void> {
  switch (action) {
    case 'setApiKey':
      await vscode.commands.executeCommand(COMMAND.setApiKey);
      break;
    case 'openBilling':
      await vscode.env.openExternal(vscode.Uri.parse(SEGMIND_BILLING_URL));
      break;
    case 'checkStatus':
      await vscode.env.openExternal(vscode.Uri.parse(SEGMIND_USAGE_URL));
      break;
    case 'showJobs':
      await vscode.commands.executeCommand(COMMAND.openPanel);
      break;
    case 'showLog':
      log.show(true);
      break;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', setting ?? `${SETTINGS_SECTION}.`);
      break;
    case 'retry':
      await retry?.();
      break;
  }
}

/** A cancel or a stop the user asked for is told quietly, without actions. */
export function isQuiet(kind: FailureKind): boolean {
  return kind === 'cancelled' || kind === 'stopped-waiting';
}

/** Shows a failure with its fixing actions as buttons (not awaited by callers that must return). */
export async function showFailure(error: unknown, log: vscode.LogOutputChannel, retry?: () => unknown): Promise<void> {
  const { message, actions, kind } = describeFailure(error);
  log.error(`Shown to the user (${kind}): ${message}`);
  const quiet = isQuiet(kind);
  const available = quiet ? [] : actions.filter((action) => action !== 'retry' || retry);
  const labels = available.map((action) => ACTION_LABELS[action]());
  reportFailureShown({ message, actions: labels, kind });
  if (quiet) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const chosen = await vscode.window.showErrorMessage(message, ...labels);
  const action = available[labels.indexOf(chosen ?? '')];
  if (action) await performRecoveryAction(action, log, retry, asIdeogramError(error).facts.setting);
}

export function actionLabel(action: RecoveryAction): string {
  return ACTION_LABELS[action]();
}
