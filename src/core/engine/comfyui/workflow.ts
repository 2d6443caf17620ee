// The graph a job runs: the owner's API-format workflow with its `{{placeholder}}` strings
// replaced by the job's values (numbers stay numbers), or the built-in text-to-image graph.
import type { Task } from '../../task/task.js';

/** Every placeholder a workflow may hold, as the string it must equal exactly. */
export const PLACEHOLDERS = [
  'prompt',
  'negative_prompt',
  'seed',
  'steps',
  'width',
  'height',
  'cfg',
  'checkpoint',
  'image',
  'seconds',
  'frames',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** An API-format graph: node id → {class_type, inputs}. */
export type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;

/** What the job and the engine's settings give the graph. */
export interface GraphValues {
  prompt: string;
  negative_prompt: string;
  /** Exact: a u64 seed past 2^53 stays a bigint (the request body is written with stringifyExact). */
  seed: number | bigint;
  steps: number;
  width: number;
  height: number;
  cfg: number;
  checkpoint: string;
  seconds: number;
  frames: number;
  /** The name of an uploaded input image; absent when the job has none. */
  image?: string | undefined;
}

/** The graph settings a config may set for jobs that do not say (sampler, cfg, negative prompt). */
export interface GraphDefaults {
  cfg: number;
  sampler_name: string;
  scheduler: string;
  negative_prompt: string;
  /** Frames per second of a video workflow: `{{frames}}` = seconds × fps. */
  fps: number;
}

export const DEFAULT_GRAPH: GraphDefaults = {
  cfg: 7,
  sampler_name: 'euler',
  scheduler: 'normal',
  negative_prompt: '',
  fps: 16,
};

/** ComfyUI's seed inputs take 0 … 2^64-1; a job without a seed gets one from this range. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * Checks a workflow file's JSON: an API-format graph (not the UI's "workflow" export) that uses
 * `{{prompt}}`. Returns the problem in words, or null.
 */
export function workflowProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'is not a JSON object of nodes';
  }
  if ('nodes' in value && 'links' in value) {
    return 'is the UI format — export it with "Export (API)" (enable dev mode options in older versions)';
  }
  const nodes = Object.values(value);
  if (nodes.length === 0) return 'has no nodes';
  const bad = Object.entries(value).find(
    ([, node]) =>
      typeof node !== 'object' ||
      node === null ||
      typeof (node as Record<string, unknown>).class_type !== 'string' ||
      typeof (node as Record<string, unknown>).inputs !== 'object',
  );
  if (bad)
    return `has node ${JSON.stringify(bad[0])} without class_type and inputs (not the API format)`;
  if (!placeholdersIn(value).has('prompt')) {
    return 'has no "{{prompt}}" — put "{{prompt}}" where the positive prompt text goes';
  }
  return null;
}

/** The placeholders a graph uses. */
export function placeholdersIn(value: unknown): Set<Placeholder> {
  const found = new Set<Placeholder>();
  visit(value, (text) => {
    const name = placeholderName(text);
    if (name !== undefined) found.add(name);
  });
  return found;
}

/** A copy of `graph` with each placeholder string replaced by its value, typed. */
export function fillWorkflow(graph: unknown, values: GraphValues): Graph {
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const name = placeholderName(node);
      if (name === undefined) return node;
      const value = values[name];
      if (value === undefined) {
        throw new Error(`the workflow uses {{${name}}} but the job has no ${name}`);
      }
      return value;
    }
    if (Array.isArray(node)) return node.map(fill);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    }
    return node;
  };
  return fill(graph) as Graph;
}

/** The job's values for a graph: its own, then the configured defaults. */
export function valuesFor(
  task: Task,
  checkpoint: string,
  defaults: GraphDefaults,
  random: () => number,
): GraphValues {
  const given = 'seed' in task ? task.seed : undefined;
  const seed = given ?? Math.floor(random() * MAX_SEED);
  const prompt = task.kind === 'audio_tts' ? task.text : 'prompt' in task ? task.prompt : '';
  const seconds = task.kind === 'video' ? task.seconds : 0;
  return {
    prompt,
    negative_prompt: defaults.negative_prompt,
    // ComfyUI's seed inputs refuse negative numbers; a studio may send any integer.
    seed: typeof seed === 'bigint' ? (seed < 0n ? -seed : seed) : Math.abs(seed),
    steps: 'steps' in task ? task.steps : 20,
    width: 'width' in task ? task.width : 512,
    height: 'height' in task ? task.height : 512,
    cfg: defaults.cfg,
    checkpoint,
    seconds,
    frames: Math.max(1, Math.round(seconds * defaults.fps)),
  };
}

/**
 * The built-in text-to-image graph: checkpoint loader → positive and negative text encoders →
 * empty latent → sampler → VAE decode → save. Node ids are those of ComfyUI's default graph.
 */
export function builtInGraph(values: GraphValues, defaults: GraphDefaults): Graph {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: values.checkpoint } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: values.prompt, clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: values.negative_prompt, clip: ['4', 1] } },
    '5': {
      class_type: 'EmptyLatentImage',
      inputs: { width: values.width, height: values.height, batch_size: 1 },
    },
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: values.seed,
        steps: values.steps,
        cfg: values.cfg,
        sampler_name: defaults.sampler_name,
        scheduler: defaults.scheduler,
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': {
      class_type: 'SaveImage',
      inputs: { filename_prefix: 'studio-worker', images: ['8', 0] },
    },
  };
}

function placeholderName(text: string): Placeholder | undefined {
  const match = /^\{\{\s*([a-z_]+)\s*\}\}$/.exec(text);
  const name = match?.[1];
  return name !== undefined && (PLACEHOLDERS as readonly string[]).includes(name)
    ? (name as Placeholder)
    : undefined;
}

function visit(value: unknown, onString: (text: string) => void): void {
  if (typeof value === 'string') onString(value);
  else if (Array.isArray(value)) value.forEach((v) => visit(v, onString));
  else if (typeof value === 'object' && value !== null)
    Object.values(value).forEach((v) => visit(v, onString));
}
