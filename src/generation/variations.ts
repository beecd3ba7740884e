import { type ValidRequest, seedRangeOf, requestToSend } from '../core/request';
import { variationSeeds } from '../core/variations';
import type { GenerationRun, GenerationService, SavedGeneration } from './generationService';
import type { PreparedGeneration } from './pipeline';
import type { Authorization, Spending } from '../spending/spending';

/** Uniform in [0, 1) from the platform's cryptographic source (seeds should not repeat across windows either). */
function randomFraction(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32;
}

/**
 * `count` images of one recipe: the budget checks (and, above the threshold, asks about) the whole batch once,
 * then each image is its own job with its own seed, all sent at once. Settles every job: one failing does not
 * lose the others. `perImage` gives each job its own callbacks (progress, submitted).
 */
export async function generateVariations(
  deps: { service: GenerationService; spending: Spending },
  prepared: PreparedGeneration,
  base: GenerationRun,
  count: number,
  perImage: (index: number) => Partial<GenerationRun> = () => ({}),
  onSaved?: (saved: SavedGeneration, index: number) => void,
): Promise<Array<PromiseSettledResult<SavedGeneration>>> {
  const { authorization, requests } = await planVariations(deps.spending, base.request, count);
  return Promise.allSettled(
    requests.map((request, index) =>
      deps.service.generate(prepared, { ...base, ...perImage(index), request, authorization }).then((saved) => {
        onSaved?.(saved, index);
        return saved;
      }),
    ),
  ).finally(() => deps.spending.releaseUnused(authorization));
}

/** Checks (and, above the threshold, asks about) the whole batch once; one request per distinct seed. */
export async function planVariations(
  spending: Spending,
  request: ValidRequest,
  count: number,
): Promise<{ authorization: Authorization; requests: ValidRequest[] }> {
  const authorization = await spending.authorize(request, count);
  return {
    authorization,
    requests: variationSeeds(count, randomFraction, request.seed, seedRangeOf(request)).map((seed) =>
      requestToSend(request, seed),
    ),
  };
}
