// Limits of settings that both the code and package.json state: the contributions unit test holds the manifest's
// `default`, `minimum`, `maximum` and `maxLength` to these, so the two can never disagree again.

/** `ideogram.requestTimeoutSeconds`. Below 10 s every real generation would be aborted after it was billed. */
export const REQUEST_TIMEOUT_SECONDS = { default: 120, minimum: 10, maximum: 600 } as const;

/** `ideogram.defaultNegativePrompt`: a default that long is a mistake or someone else's text, not a preference. */
export const DEFAULT_NEGATIVE_PROMPT_MAX_LENGTH = 1000;
