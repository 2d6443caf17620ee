// What an inference server said in an error answer, as one short line: the message inside the
// JSON error shapes these servers use, else an excerpt of the body as text.
import { bodyExcerpt } from '../../net/text.js';

/** How much of a body ends up in an error message. */
export const SERVER_MESSAGE_CHARS = 300;

/**
 * Known shapes: OpenAI / Ollama `/v1` `{error: {message}}`; Ollama native `{error: "…"}`;
 * FastAPI (A1111, Forge, SD.Next) `{detail: "…"}` or `{detail: [{loc, msg}]}`; A1111's own
 * `{error: "RuntimeError", errors: "…"}`; and a bare `{message: "…"}`.
 */
export function serverMessage(body: string): string {
  return bodyExcerpt(messageInJson(body) ?? body, SERVER_MESSAGE_CHARS);
}

function messageInJson(body: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { error, errors, detail, message } = value;
  if (isRecord(error) && typeof error.message === 'string') return error.message;
  if (typeof error === 'string' && typeof errors === 'string' && errors !== '') {
    return `${error}: ${errors}`;
  }
  if (typeof error === 'string' && error !== '') return error;
  if (typeof detail === 'string' && detail !== '') return detail;
  if (Array.isArray(detail) && detail.length > 0) return detail.map(describeDetail).join('; ');
  if (typeof message === 'string' && message !== '') return message;
  return undefined;
}

/** One FastAPI validation problem: `body.width: value is not a valid integer`. */
function describeDetail(item: unknown): string {
  if (!isRecord(item)) return JSON.stringify(item);
  const where = Array.isArray(item.loc) ? item.loc.map(String).join('.') : '';
  const what = typeof item.msg === 'string' ? item.msg : JSON.stringify(item);
  return where === '' ? what : `${where}: ${what}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
