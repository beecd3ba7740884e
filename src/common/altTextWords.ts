import * as vscode from 'vscode';
import { formatCredits } from '../core/cost';
import { ideogramDescribe } from '../core/models/ideogramDescribe';

/**
 * "Write Alt Text (0.015 credits)": the words of the hover's link (src/recipes/imageHover.ts) and the quick fix
 * (src/generation/altText/), with Describe's listed price, so the cost is seen before the click.
 */
export function writeAltTextTitle(): string {
  return vscode.l10n.t('Write Alt Text ({0} credits)', formatCredits(ideogramDescribe.price.perImage));
}
