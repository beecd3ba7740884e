// The sentence and the fixing actions of each failure kind (src/core/errors.ts): one exhaustive switch.
import * as vscode from 'vscode';
import { formatCredits } from '../core/cost';
import { type IdeogramError, type RecoveryAction } from '../core/errors';

import { describeRequestProblems, MEGABYTE } from './requestProblemWording';
import { downloadFailurePhrase, wordBadResponse, wordInvalidSetting } from './responseWording';

export function word(failure: IdeogramError): [string, RecoveryAction[]] {
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
        case 'upload-declined':
          return [vscode.l10n.t('{0} was not uploaded, so nothing was generated or billed.', facts.fileName ?? ''), []];
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
        reason === 'choose-folder' ? [] : ['openFolder'],
      ];
    case 'invalid-setting':
      return [wordInvalidSetting(failure), ['openSettings']];
    case 'source-image':
      return wordSourceImage(failure);
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

/** A picture an image action works on: what is wrong with it, or with its upload, and what to do. */
function wordSourceImage({ reason, facts }: IdeogramError): [string, RecoveryAction[]] {
  const name = facts.fileName ?? facts.path ?? '';
  const said = facts.apiMessage
    ? ` ${vscode.l10n.t('The API said: "{0}".', facts.apiMessage.replace(/[.\s]+$/, ''))}`
    : '';
  switch (reason) {
    case 'outside-workspace':
      return [
        vscode.l10n.t(
          '{0} is not inside a workspace folder. Copy it into the workspace first: only workspace images are uploaded. Nothing was uploaded or billed.',
          name,
        ),
        [],
      ];
    case 'source-link':
      return [
        vscode.l10n.t(
          '{0} is a link (to {1}). Use the image it points to, copied into the workspace: links are not followed, so nothing outside the workspace is uploaded. Nothing was uploaded or billed.',
          name,
          facts.through ?? '?',
        ),
        [],
      ];
    case 'not-a-file':
      return [vscode.l10n.t('{0} is not a regular file. Nothing was uploaded or billed.', name), []];
    case 'unsupported-type':
      return [
        vscode.l10n.t(
          '{0} is not a JPEG, PNG or WebP picture ({1}). Ideogram takes only these: convert it, then try again. Nothing was uploaded or billed.',
          name,
          facts.contentType ?? vscode.l10n.t('unknown type'),
        ),
        [],
      ];
    case 'source-too-large':
      return [
        vscode.l10n.t(
          '{0} is {1} MB; Ideogram takes pictures of at most {2} MB. Save a smaller copy (a JPEG, or fewer pixels), then try again. Nothing was uploaded or billed.',
          name,
          ((facts.bytes ?? 0) / MEGABYTE).toFixed(1),
          Math.round((facts.maxBytes ?? 0) / MEGABYTE),
        ),
        [],
      ];
    case 'source-unreadable':
      return [
        vscode.l10n.t('Could not read {0}: {1}. Nothing was uploaded or billed.', name, facts.text ?? ''),
        ['showLog'],
      ];
    case 'upload-failed':
      return [
        facts.status === 401 || facts.status === 403
          ? vscode.l10n.t(
              'Segmind refused the API key when uploading {0} (HTTP {1}). Set a valid key, then try again. Nothing was generated or billed.',
              name,
              facts.status,
            ) + said
          : vscode.l10n.t(
              'Uploading {0} to Segmind failed ({1}). Nothing was generated or billed; try again.',
              name,
              facts.status ? `HTTP ${facts.status}` : (facts.cause ?? vscode.l10n.t('unknown error')),
            ) + said,
        facts.status === 401 || facts.status === 403 ? ['setApiKey', 'showLog'] : ['retry', 'showLog'],
      ];
    case 'upload-bad-response':
      return [
        vscode.l10n.t(
          "Segmind's answer to the upload of {0} was not understood. Nothing was generated or billed; the log has what arrived.",
          name,
        ),
        ['showLog'],
      ];
    default:
      return [
        vscode.l10n.t('{0} cannot be used as the picture. Nothing was uploaded or billed; the log says why.', name),
        ['showLog'],
      ];
  }
}

function unreachable(kind: never): never {
  throw new Error(`unworded failure kind ${String(kind)}`);
}
