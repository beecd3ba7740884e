// Saving a generated (paid) image: into the assets folder with its recipe embedded, or, when that fails (a
// read-only folder, a file in the way, a full disk), at once into the extension's storage, with the offer to move
// it (src/generation/jobs/rescueDialog.ts). A paid image is never dropped.
import * as vscode from 'vscode';
import type { GeneratedImage } from '../../core/client';
import type { GalleryEntry } from '../../core/galleryStore';
import type { JobRecord } from '../../core/jobStore';
import type { SourceLineage } from '../../core/sourceLineage';
import { errorText } from '../../common/errorMessages';
import { namedImageFile } from '../../links/imageDestination';
import { saveImageFile, type AssetsTarget } from '../../links/imageFiles';
import { withEmbeddedRecipe } from './recipeEmbedding';
import { offerToMoveRescued } from './rescueDialog';

/** A generated image saved in the workspace (or rescued), as `generate` returns it. */
export interface SavedGeneration {
  uri: vscode.Uri;
  image: GeneratedImage;
  prompt: string;
  createdAt: Date;
  /** The job it came from. */
  jobId?: string;
  /** The job's other images, each saved with the job's recipe (a model that makes several in one job). */
  others?: SavedGeneration[];
  /** Its gallery entry; undefined when the gallery could not record it (the image is saved all the same). */
  entry?: GalleryEntry;
  /** The workspace image an image action made it from (the job's lineage). */
  source?: SourceLineage;
}

export async function saveGeneratedImage(
  target: AssetsTarget,
  image: GeneratedImage,
  endpoint: string,
  /** `ideogram.embedRecipe` for the target folder. */
  embedRecipe: boolean,
  rescueFolder: vscode.Uri,
  log: vscode.LogOutputChannel,
  /** The image an image action worked on: named in the embedded recipe. */
  source?: SourceLineage,
): Promise<vscode.Uri> {
  image = { ...image, bytes: withEmbeddedRecipe(image, embedRecipe, endpoint, log, source) };
  try {
    return await saveImageFile(
      target.folder,
      image.request.prompt,
      image.type.extension,
      image.bytes,
      namedImageFile(target.naming, {
        prompt: image.request.prompt,
        extension: image.type.extension,
        seed: image.seed,
      }),
    );
  } catch (error) {
    const reason = errorText(error);
    log.error(`Could not save into ${target.folder.toString(true)}: ${reason}`);
    const rescued = await saveImageFile(rescueFolder, image.request.prompt, image.type.extension, image.bytes);
    log.warn(`Image kept in ${rescued.toString(true)} because it could not be saved in the workspace`);
    void offerToMoveRescued(rescued, target, reason);
    return rescued;
  }
}

/** The target of a resumed job, from its record (a live job keeps its caller's prepared target). */
export function targetOfRecord(record: JobRecord): AssetsTarget {
  const workspaceFolder = vscode.Uri.parse(record.workspaceFolder);
  return {
    workspaceFolder: vscode.workspace.getWorkspaceFolder(workspaceFolder) ?? {
      uri: workspaceFolder,
      name: '',
      index: 0,
    },
    folder: vscode.Uri.parse(record.folder),
    ...(record.naming ? { naming: record.naming } : {}),
  };
}
