// Placeholders in an API-format workflow: whole string values only, replaced with typed values.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GRAPH,
  fillWorkflow,
  valuesFor,
  workflowProblem,
} from '../../../../src/core/engine/comfyui/workflow.js';
import { stringifyExact } from '../../../../src/core/net/exact-json.js';
import { imageTask, videoTask } from '../synthetic/tasks.js';

const values = valuesFor(
  imageTask({ prompt: 'a fox', seed: -7n, steps: 12, width: 64, height: 48 }),
  'model.safetensors',
  DEFAULT_GRAPH,
  () => 0.5,
);

describe('comfyui workflow placeholders', () => {
  it('replaces whole-string placeholders with typed values and leaves other text alone', () => {
    const graph = fillWorkflow(
      {
        '3': {
          class_type: 'KSampler',
          inputs: { seed: '{{seed}}', steps: '{{ steps }}', cfg: '{{cfg}}', model: ['4', 0] },
        },
        '6': { class_type: 'CLIPTextEncode', inputs: { text: 'style of {{prompt}}' } },
        '7': { class_type: 'CLIPTextEncode', inputs: { text: '{{prompt}}' } },
        '8': { class_type: 'Other', inputs: { name: '{{unknown}}' } },
      },
      values,
    );
    // A negative seed is made positive: ComfyUI refuses negative seeds.
    expect(graph['3']?.inputs).toEqual({ seed: 7n, steps: 12, cfg: 7, model: ['4', 0] });
    expect(graph['6']?.inputs.text).toBe('style of {{prompt}}');
    expect(graph['7']?.inputs.text).toBe('a fox');
    expect(graph['8']?.inputs.name).toBe('{{unknown}}');
  });

  it('computes frames from the video seconds and fps, and refuses {{image}} when the job has none', () => {
    const video = valuesFor(
      videoTask({ seconds: 2.5 }),
      'm',
      { ...DEFAULT_GRAPH, fps: 8 },
      () => 0,
    );
    expect(video.frames).toBe(20);
    expect(() =>
      fillWorkflow({ '1': { class_type: 'LoadImage', inputs: { image: '{{image}}' } } }, values),
    ).toThrow('the workflow uses {{image}} but the job has no image');
  });

  it('keeps a u64 seed past 2^53 exact, digit for digit, into the request body', () => {
    const seed = 18_446_744_073_709_551_615n; // 2^64 - 1
    const big = valuesFor(imageTask({ seed }), 'm', DEFAULT_GRAPH, () => 0);
    const graph = fillWorkflow(
      { '3': { class_type: 'KSampler', inputs: { seed: '{{seed}}', text: '{{prompt}}' } } },
      big,
    );
    expect(stringifyExact(graph)).toContain('"seed":18446744073709551615');
  });

  it('names what is wrong with a file that is not an API-format workflow', () => {
    expect(workflowProblem([])).toBe('is not a JSON object of nodes');
    expect(workflowProblem({})).toBe('has no nodes');
    expect(workflowProblem({ '1': { inputs: {} } })).toMatch(/node "1" without class_type/);
    expect(
      workflowProblem({ '1': { class_type: 'X', inputs: { text: '{{prompt}}' } } }),
    ).toBeNull();
  });
});
