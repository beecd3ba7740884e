// The words for what Segmind answered wrongly (a bad response, a failed download) and for a setting that cannot be used.
import * as vscode from 'vscode';

import { type IdeogramError, type RecoveryAction } from '../core/errors';

/** What went wrong with a billed image's download, as a clause ("the download was cut off (10 of 20 bytes)"). */
export function downloadFailurePhrase(facts: IdeogramError['facts']): string {
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

export function wordBadResponse({ reason, facts }: IdeogramError, redirected: boolean): [string, RecoveryAction[]] {
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
    case 'no-description':
      return [
        vscode.l10n.t(
          'Ideogram Describe finished but its answer holds no description the extension recognises. It was probably charged; see the log.',
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

export function wordInvalidSetting({ reason, facts }: IdeogramError): string {
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
