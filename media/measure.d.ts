/**
 * Whether this build keeps the timing marks on <body> (`data-ready-ms`, `data-gallery-render-ms`…) that the bench
 * (bench/webview.mjs) and the UI tests read: replaced by esbuild (esbuild.js), false in a release build, so the
 * code behind it is dropped there.
 */
declare const IDEOGRAM_MEASURE: boolean;
