// CLI: `npm run fake-api -- [--port 8787] [--latency 2000] [--format png] [--shape json-base64] [--credits 5] ...`
// Prints one line with the endpoint and runs until SIGINT/SIGTERM. See README.md beside this file.
import { type FakeSegmindOptions, RESPONSE_SHAPES, checkOptions, startFakeSegmind } from './server';

const USAGE = `Usage: node out/test/fake-segmind/main.js [options]
  --port N              port on 127.0.0.1 (default 8787; 0 = any free port)
  --latency MS          delay before each answer (default 0)
  --format jpeg|png     image format (default jpeg)
  --shape SHAPE         ${RESPONSE_SHAPES.join(' | ')} (default binary)
  --credits N           starting balance (default 12.3456)
  --cost N              cost per generation (default 0.1)
  --image-bytes N       pad images to about N bytes
  --image-scale F       encode images at F x the requested size, 0 < F <= 1 (default 0.25)
  --keys K1,K2          accept only these API keys (default: any non-empty key)
  --rate-limit N        enforce N requests per minute (default: not enforced)
  --rate-limit-reset-ms MS   how far ahead a 429's x-rate-limit-reset-at-utc is (default 2000)
  --upload-shape urls|file_urls|foreign-urls   /upload-asset's answer (default urls)
  --upload-max-bytes N  /upload-asset bodies above N bytes get 413 (default 33554432)
  --quiet               do not log requests to stderr
  --help                this text`;

function parseArgs(argv: string[]): { options: FakeSegmindOptions; quiet: boolean } {
  const raw: Record<string, unknown> = { port: 8787 };
  let quiet = false;
  const numeric: Record<string, string> = {
    '--port': 'port',
    '--latency': 'latencyMs',
    '--credits': 'credits',
    '--cost': 'cost',
    '--image-bytes': 'imageBytes',
    '--image-scale': 'imageScale',
    '--rate-limit': 'rateLimitPerMinute',
    '--rate-limit-reset-ms': 'rateLimitResetMs',
    '--upload-max-bytes': 'uploadMaxBytes',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (flag === '--quiet') {
      quiet = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag in numeric) {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`${flag} needs a number, got "${value}"`);
      raw[numeric[flag]] = number;
    } else if (flag === '--format') raw.format = value;
    else if (flag === '--shape') raw.responseShape = value;
    else if (flag === '--upload-shape') raw.uploadResponseShape = value;
    else if (flag === '--keys')
      raw.validKeys = value
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean);
    else throw new Error(`Unknown option ${flag}\n${USAGE}`);
  }
  return { options: checkOptions(raw), quiet };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const { options, quiet } = parsed;
  const fake = await startFakeSegmind({
    ...options,
    ...(quiet ? {} : { log: (line: string) => console.error(`[${new Date().toISOString()}] ${line}`) }),
  });
  console.log(`Fake Segmind API listening on ${fake.endpoint}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
