import { describe, expect, it } from 'vitest';
import {
  SERVER_MESSAGE_CHARS,
  serverMessage,
} from '../../../../src/core/engine/remote/server-message.js';
import { fixtureText, OPENAI_FIXTURES } from './fixtures.js';

describe('serverMessage', () => {
  it('reads the OpenAI error shape', async () => {
    expect(serverMessage(await fixtureText(OPENAI_FIXTURES.error404ModelNotFound))).toBe(
      'The model: `gpt-4` does not exist',
    );
  });

  it("reads Ollama's native error string", async () => {
    expect(serverMessage(await fixtureText(OPENAI_FIXTURES.ollamaNativeNotFound))).toBe(
      "model 'llama3' not found, try pulling it first",
    );
  });

  it("reads FastAPI's detail, as a string or as validation problems", () => {
    expect(serverMessage('{"detail":"Not Found"}')).toBe('Not Found');
    expect(
      serverMessage(
        JSON.stringify({
          detail: [{ loc: ['body', 'width'], msg: 'value is not a valid integer', type: 'x' }],
        }),
      ),
    ).toBe('body.width: value is not a valid integer');
  });

  it("joins A1111's error type and its errors text", () => {
    expect(serverMessage('{"error":"RuntimeError","detail":"","body":"","errors":"boom"}')).toBe(
      'RuntimeError: boom',
    );
  });

  it('shows plain text, flattened and cut', () => {
    expect(serverMessage('404 page not found')).toBe('404 page not found');
    expect(serverMessage('  line one\n\tline two  ')).toBe('line one line two');
    expect(serverMessage('')).toBe('(empty body)');
    expect(serverMessage('x'.repeat(SERVER_MESSAGE_CHARS + 50))).toBe(
      `${'x'.repeat(SERVER_MESSAGE_CHARS)}…`,
    );
  });

  it('shows JSON without a known message field as text', () => {
    expect(serverMessage('{"error":null}')).toBe('{"error":null}');
  });
});
