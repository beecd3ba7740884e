// What the generation feature needs from other features, declared here and satisfied in src/extension.ts: the
// generation side does not import them.
import type * as vscode from 'vscode';
import type { GeneratedImage } from '../core/client';
import type { GalleryEntry } from '../core/galleryStore';
import type { Authorization } from '../core/budget';
import type { CostEstimate } from '../core/cost';
import type { GenerationRequest, GenerationRequestInput } from '../core/request';
import type { SourceLineage } from '../core/sourceLineage';

/** Records each saved image (src/gallery/gallery.ts): `generate` returns the image with its entry. */
export interface GalleryRecorder {
  /** The entry, or undefined when it could not be recorded (the image is saved all the same). Never rejects. */
  recordGeneration(saved: {
    uri: vscode.Uri;
    prompt: string;
    createdAt: Date;
    image: GeneratedImage;
    /** The workspace image an image action made it from: kept in the entry and its sidecar. */
    source?: SourceLineage;
  }): Promise<GalleryEntry | undefined>;
}

/**
 * The budget and the cost line (src/spending/spending.ts satisfies it): every generation passes `authorize` before
 * anything is sent; what Segmind reports settles the estimate.
 */
export interface Budget {
  readonly onDidChange: vscode.Event<void>;
  authorize(request: GenerationRequest, count?: number): Promise<Authorization>;
  /** One reserved entry of an authorization for one job (undefined: none left, or none given). */
  take(authorization: Authorization | undefined): string | undefined;
  releaseUnused(authorization: Authorization): void;
  settle(jobId: string, request: GenerationRequest, reported: { cost?: number; remainingCredits?: number }): void;
  release(jobId: string): void;
  estimate(request: Partial<GenerationRequestInput>, count?: number): CostEstimate;
  describe(estimate: CostEstimate): string;
  describeReported(reported: { cost?: number; remainingCredits?: number }): string | undefined;
  refreshBalance(
    getKey: () => Promise<string | undefined>,
    options?: { force?: boolean; timeoutMs?: number },
  ): Promise<void>;
}
