// One generation with the core client in a FRESH Node process (the process-start cost included, like curl's).
//   node bench/fresh-client.cjs <out/src/core/client.js> <endpoint> <api key> <request JSON> <output file>
// Prints {"workMs": …} (from before loading the client to the file written) on stdout.
const { performance } = require('node:perf_hooks');
const started = performance.now();
const fs = require('node:fs');
const [clientPath, endpoint, apiKey, requestJson, outFile] = process.argv.slice(2);
const { generateImage } = require(clientPath);
generateImage(JSON.parse(requestJson), { endpoint, apiKey })
  .then((image) => fs.promises.writeFile(outFile, image.bytes))
  .then(() => {
    process.stdout.write(JSON.stringify({ workMs: performance.now() - started }) + '\n');
  })
  .catch((error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  });
