// The recorded inference-server answers in test/fixtures (copied from the project's recorded captures),
// a parser for the recorded curl transcripts, and real images encoded by sharp.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixturesDir = path.resolve(repoRoot, 'test', 'fixtures');

export const OPENAI_FIXTURES = {
  /** Ollama /v1/chat/completions, llama3, finish_reason "length", with usage. */
  chatLength: 'openai-compatible/ollama-v1-chat-completions-llama3-finish-length.json',
  /** Ollama /v1/chat/completions from a cloud model: message.content null. */
  chatNullContent: 'openai-compatible/ollama-v1-chat-completions-null-content-cloud-model.json',
  /** curl transcripts: GET → 404 text/plain, bad POST → 400 EOF. */
  transcripts: 'openai-compatible/ollama-v1-chat-completions-http-transcripts.txt',
  /** Ollama's 400 `{"error":{"message":"EOF",…}}`. */
  error400Eof: 'openai-compatible/ollama-v1-error-400-invalid-request-eof.json',
  /** OpenAI's own 404 model_not_found. */
  error404ModelNotFound: 'openai-compatible/openai-error-404-model-not-found.json',
  /** Ollama native `{"error":"model 'llama3' not found, try pulling it first"}`. */
  ollamaNativeNotFound: 'openai-compatible/ollama-native-error-model-not-found.json',
  /** Ollama GET /api/tags: codellama:latest and gemma2:27b. */
  ollamaTags: 'openai-compatible/ollama-api-tags-real-codellama-gemma2-trimmed.json',
} as const;

export const A1111_FIXTURES = {
  /** /sdapi/v1/txt2img from v1.4.0; images[0] is only a PNG signature and the start of IHDR. */
  txt2img: 'a1111/txt2img-response-a1111-v1.4.0.json',
  /** /sdapi/v1/sd-models with 8 checkpoints (Windows paths, some never hashed). */
  sdModelsWindows: 'a1111/sd-models-response-windows-8-checkpoints.json',
  /** /sdapi/v1/sd-models with 2 checkpoints (Linux paths). */
  sdModelsLinux: 'a1111/sd-models-response-linux-autodl-trimmed.json',
} as const;

export function fixtureText(name: string): Promise<string> {
  return readFile(path.join(fixturesDir, name), 'utf8');
}

export async function fixtureJson<T = unknown>(name: string): Promise<T> {
  return JSON.parse(await fixtureText(name)) as T;
}

/** One recorded exchange of a curl transcript: the request line and the answer as it came. */
export interface RecordedExchange {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The exchanges of a `curl -D -` transcript. The body is the Content-Length bytes after the
 * blank line, which leaves out whatever the shell printed after it (a prompt like "(base)").
 */
export function parseTranscript(text: string): RecordedExchange[] {
  const blocks = text.split(/^\$ /m).filter((block) => block.trim() !== '');
  return blocks.map((block) => {
    const [command = '', ...rest] = block.split('\n');
    const method = /-X (\w+)/.exec(command)?.[1] ?? 'GET';
    const url = new URL(/(https?:\/\/\S+)/.exec(command)?.[1] ?? 'http://invalid/');
    const [head = '', ...bodyParts] = rest.join('\n').split('\n\n');
    const [statusLine = '', ...headerLines] = head.split('\n');
    const headers = Object.fromEntries(
      headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    const length = Number(headers['content-length']);
    return {
      method,
      path: url.pathname,
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: Buffer.from(bodyParts.join('\n\n')).subarray(0, length).toString('utf8'),
    };
  });
}

/** Real, whole images of each format the engines recognise. */
export async function encodedImage(format: 'png' | 'webp' | 'jpeg' | 'gif'): Promise<Buffer> {
  const image = sharp({
    create: { width: 8, height: 6, channels: 3, background: { r: 200, g: 80, b: 40 } },
  });
  return image.toFormat(format).toBuffer();
}
