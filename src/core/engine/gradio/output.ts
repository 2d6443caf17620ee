// Where a Gradio app put its image: the output value of /run/predict, as Gradio 3 writes it — a
// data URL, a file URL (relative like `/file=/tmp/…png`, or absolute), a file object
// (`{name, is_file}`, `{url}`, `{path}`), or a gallery (a list of those, or [image, caption]).

export type ImageOutput =
  | { kind: 'inline'; text: string }
  | { kind: 'url'; url: string }
  | { kind: 'none'; problem: string };

/** How the image in `value` can be had; relative file URLs are resolved under `baseUrl`. */
export function imageOutput(value: unknown, baseUrl: string): ImageOutput {
  if (typeof value === 'string') return fromString(value, baseUrl);
  if (Array.isArray(value)) {
    const first = value.find((item) => item !== null && item !== undefined);
    return first === undefined
      ? { kind: 'none', problem: 'an empty list' }
      : imageOutput(first, baseUrl);
  }
  if (typeof value === 'object' && value !== null) {
    const { url, data, name, path } = value as Record<string, unknown>;
    if (typeof url === 'string' && url !== '') return fromString(url, baseUrl);
    if (typeof data === 'string' && data.startsWith('data:')) return { kind: 'inline', text: data };
    const file = typeof name === 'string' && name !== '' ? name : path;
    if (typeof file === 'string' && file !== '') {
      return {
        kind: 'url',
        url: `${baseUrl}/file=${file.split('/').map(encodeURIComponent).join('/')}`,
      };
    }
    return { kind: 'none', problem: 'an object without url, data, name or path' };
  }
  return { kind: 'none', problem: value === null ? 'null' : `a ${typeof value}` };
}

function fromString(text: string, baseUrl: string): ImageOutput {
  if (text.startsWith('data:')) return { kind: 'inline', text };
  if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
  if (text.startsWith('/')) return { kind: 'url', url: `${baseUrl}${text}` };
  if (text.startsWith('file=')) return { kind: 'url', url: `${baseUrl}/${text}` };
  return { kind: 'none', problem: 'a string that is neither a data: URL nor a file URL' };
}

/** Whether `url` is on the same server (scheme, host and port) as `baseUrl`. */
export function sameServer(url: string, baseUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}
