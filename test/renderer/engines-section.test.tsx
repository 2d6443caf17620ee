// @vitest-environment jsdom
// Settings → Engines over a fake bridge: the configured engines with health and models, Test,
// detection with one-click Add, and a GGUF file for the built-in engine (picker or path field).
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CommandResult, WorkerCommand } from '../../src/shared/bridge';
import { EnginesSection } from '../../renderer/src/components/EnginesSection';
import { idleSnapshot } from './fixtures';
import { answerBeside } from './read-dom';
import { renderWith } from './render';

const OLLAMA = {
  where: 'engines[0]',
  engine: 'openai',
  detail: 'http://127.0.0.1:11434',
  reachable: true,
  models: ['codellama:latest', 'gemma2:27b'],
  error: null,
};
const A1111_DOWN = {
  where: 'engines[1]',
  engine: 'a1111',
  detail: 'http://127.0.0.1:7860',
  reachable: false,
  models: [],
  error: 'a1111 engine: connection refused — is the server running?',
};
const COMFY_FOUND = {
  server: 'comfyui',
  label: 'ComfyUI',
  port: 8188,
  baseUrl: 'http://127.0.0.1:8188',
  engine: 'comfyui',
  models: ['sd_xl_base_1.0.safetensors'],
  configured: false,
};

function renderSection(answer: (command: WorkerCommand) => CommandResult, canPickFiles = false) {
  const view = renderWith(idleSnapshot(), <EnginesSection canPickFiles={canPickFiles} />, answer);
  return { ...view, user: userEvent.setup() };
}

const item = (list: string, name: string) =>
  within(screen.getByRole('list', { name: list })).getByRole('listitem', { name });

describe('engines section', () => {
  it("lists each configured engine's health and models", async () => {
    renderSection(() => ({ ok: true, engines: [OLLAMA, A1111_DOWN] }));
    const ollama = await waitFor(() =>
      item('Configured engines', 'openai (http://127.0.0.1:11434)'),
    );
    expect(within(ollama).getByTestId('engine-health').textContent).toBe('answers');
    expect(within(ollama).getByTestId('engine-models').textContent).toBe(
      'codellama:latest, gemma2:27b',
    );
    const a1111 = item('Configured engines', 'a1111 (http://127.0.0.1:7860)');
    expect(within(a1111).getByTestId('engine-health').textContent).toBe(
      'does not answer: a1111 engine: connection refused — is the server running?',
    );
  });

  it('tests one engine and shows the time and result beside its button', async () => {
    const { user, bridge } = renderSection((command) =>
      command.type === 'testEngine'
        ? { ok: true, message: 'llm on codellama:latest in 0.4 s: Hello' }
        : { ok: true, engines: [OLLAMA] },
    );
    const button = await screen.findByRole('button', {
      name: 'Test openai (http://127.0.0.1:11434)',
    });
    await user.click(button);
    expect(bridge.sent).toContainEqual({ type: 'testEngine', where: 'engines[0]' });
    await waitFor(() =>
      expect(answerBeside('Test openai (http://127.0.0.1:11434)')).toEqual({
        text: 'llm on codellama:latest in 0.4 s: Hello',
        error: false,
      }),
    );
  });

  it('detects servers and adds one with one click, then lists it as configured', async () => {
    let added = false;
    const comfyView = {
      ...OLLAMA,
      where: 'engines[0]',
      engine: 'comfyui',
      detail: COMFY_FOUND.baseUrl,
    };
    const { user, bridge } = renderSection((command) => {
      if (command.type === 'detectEngines')
        return { ok: true, message: 'found ComfyUI', detected: [COMFY_FOUND] };
      if (command.type === 'addDetectedEngine') {
        added = true;
        return { ok: true, message: 'added ComfyUI (http://127.0.0.1:8188)' };
      }
      return { ok: true, engines: added ? [comfyView] : [] };
    });
    await user.click(screen.getByRole('button', { name: 'Detect engines' }));
    const found = await waitFor(() => item('Detected engines', 'ComfyUI'));
    expect(found.textContent).toContain('sd_xl_base_1.0.safetensors');
    await user.click(within(found).getByRole('button', { name: 'Add ComfyUI' }));
    expect(bridge.sent).toContainEqual({
      type: 'addDetectedEngine',
      server: 'comfyui',
      port: 8188,
    });
    await waitFor(() => expect(within(found).queryByRole('button')).toBeNull());
    expect(found.textContent).toContain('Added');
    await waitFor(() => item('Configured engines', 'comfyui (http://127.0.0.1:8188)'));
  });

  it('adds a typed GGUF path in the browser, with no file picker there', async () => {
    const { user, bridge } = renderSection((command) =>
      command.type === 'addLlamaModel'
        ? { ok: true, message: 'added model tiny to the built-in engine' }
        : { ok: true, engines: [] },
    );
    expect(screen.queryByRole('button', { name: 'Choose file…' })).toBeNull();
    const add = screen.getByRole('button', { name: 'Add model' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    await user.type(screen.getByRole('textbox', { name: 'GGUF model file' }), '/models/tiny.gguf');
    await user.click(add);
    expect(bridge.sent).toContainEqual({ type: 'addLlamaModel', path: '/models/tiny.gguf' });
    await waitFor(() =>
      expect(answerBeside('Add model')).toEqual({
        text: 'added model tiny to the built-in engine',
        error: false,
      }),
    );
  });

  it("fills the path from the desktop's file picker, and shows a refusal as an error", async () => {
    const { user } = renderSection((command) => {
      if (command.type === 'pickModelFile') return { ok: true, path: '/home/me/q4.gguf' };
      if (command.type === 'addLlamaModel')
        return { ok: false, error: '"/home/me/q4.gguf" is not readable' };
      return { ok: true, engines: [] };
    }, true);
    await user.click(screen.getByRole('button', { name: 'Choose file…' }));
    const field = screen.getByRole('textbox', { name: 'GGUF model file' }) as HTMLInputElement;
    await waitFor(() => expect(field.value).toBe('/home/me/q4.gguf'));
    await user.click(screen.getByRole('button', { name: 'Add model' }));
    await waitFor(() =>
      expect(answerBeside('Add model')).toEqual({
        text: '"/home/me/q4.gguf" is not readable',
        error: true,
      }),
    );
  });
});
