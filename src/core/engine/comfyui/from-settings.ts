// Builds the comfyui engine from config.toml. Its keys, besides the shared ones of every
// server-backed engine (base_url, allow_remote, timeout_secs, model_map — see remote/options.ts):
//
//   [[engines]]
//   engine = "comfyui"
//   base_url = "http://127.0.0.1:8188"
//   workflows = { "sdxl-1.0" = "workflows/sdxl-api.json",
//                 "wan-2.1" = { file = "workflows/wan.json", kinds = ["video"] } }
//   model_map = { "sdxl-1.0" = "sd_xl_base_1.0.safetensors" }
//   stall_secs = 300        # no progress this long: cancel, fail (retryable)
//   reconnect_secs = 120    # ComfyUI gone mid-job: wait this long for it, then fail
//   oom_hold_secs = 30      # after "out of GPU memory": claim nothing for this long
//   cfg = 7, sampler_name = "euler", scheduler = "normal", negative_prompt = "", fps = 16
//
// A workflow path is relative to the folder of config.toml. Its file is read and checked here,
// once: a file that is missing, not API-format JSON or without "{{prompt}}" is a config error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TASK_KINDS, type TaskKind } from '../../../shared/snapshot.js';
import { failConfig, parseSettings, type EngineSettings } from '../settings.js';
import { kindsFrom, remoteKeys, remoteOptionsFrom } from '../remote/options.js';
import {
  COMFYUI_DEFAULT_URL,
  COMFYUI_ENGINE_NAME,
  COMFYUI_KINDS,
  createComfyEngine,
  type ComfyEngine,
  type ComfyWorkflow,
} from './index.js';
import { workflowProblem } from './workflow.js';

/** A workflow file larger than this is not a workflow. */
const MAX_WORKFLOW_BYTES = 4 * 1024 * 1024;
const DAY_SECS = 86_400;

const workflowEntry = z.union([
  z.string().min(1),
  z.strictObject({
    file: z.string().min(1),
    kinds: z.array(z.enum(TASK_KINDS)).min(1).optional(),
  }),
]);

const optionsSchema = z.strictObject({
  ...remoteKeys,
  workflows: z.record(z.string().min(1), workflowEntry).optional(),
  stall_secs: z.number().positive().max(DAY_SECS).optional(),
  reconnect_secs: z.number().min(0).max(DAY_SECS).optional(),
  oom_hold_secs: z.number().min(0).max(3_600).optional(),
  cfg: z.number().min(0).max(100).optional(),
  sampler_name: z.string().min(1).max(64).optional(),
  scheduler: z.string().min(1).max(64).optional(),
  negative_prompt: z.string().max(20_000).optional(),
  fps: z.number().positive().max(240).optional(),
});

export function comfyFromSettings(settings: EngineSettings): ComfyEngine {
  const options = parseSettings(optionsSchema, settings.options, settings.where);
  const workflows: Record<string, ComfyWorkflow> = {};
  for (const [id, entry] of Object.entries(options.workflows ?? {})) {
    const file = typeof entry === 'string' ? entry : entry.file;
    const kinds: TaskKind[] = typeof entry === 'string' ? ['image'] : (entry.kinds ?? ['image']);
    const where = `${settings.where}.workflows.${id}`;
    const bad = kinds.find((kind) => !COMFYUI_KINDS.includes(kind));
    if (bad !== undefined) {
      failConfig(
        `${where}.kinds: a ComfyUI workflow cannot serve ${bad} tasks (it serves: ${COMFYUI_KINDS.join(', ')})`,
      );
    }
    workflows[id] = { graph: readWorkflow(file, settings.configDir, where), kinds, file };
  }
  const possible = [
    ...new Set<TaskKind>(['image', ...Object.values(workflows).flatMap((w) => w.kinds)]),
  ];
  const kinds = kindsFrom(COMFYUI_ENGINE_NAME, settings, possible, {
    video: 'add a video workflow: workflows = { "<model>" = { file = "…", kinds = ["video"] } }',
    audio_tts:
      'add an audio workflow: workflows = { "<model>" = { file = "…", kinds = ["audio_tts"] } }',
  });
  const secs = (value: number | undefined) => (value === undefined ? undefined : value * 1000);
  return createComfyEngine({
    ...remoteOptionsFrom(options, settings, COMFYUI_DEFAULT_URL),
    workflows,
    kinds,
    models: settings.models,
    graph: {
      ...(options.cfg !== undefined ? { cfg: options.cfg } : {}),
      ...(options.sampler_name !== undefined ? { sampler_name: options.sampler_name } : {}),
      ...(options.scheduler !== undefined ? { scheduler: options.scheduler } : {}),
      ...(options.negative_prompt !== undefined
        ? { negative_prompt: options.negative_prompt }
        : {}),
      ...(options.fps !== undefined ? { fps: options.fps } : {}),
    },
    ...(options.stall_secs !== undefined ? { stallMs: secs(options.stall_secs) } : {}),
    ...(options.reconnect_secs !== undefined ? { reconnectMs: secs(options.reconnect_secs) } : {}),
    ...(options.oom_hold_secs !== undefined ? { oomHoldMs: secs(options.oom_hold_secs) } : {}),
  });
}

/** The workflow's JSON, or a config error naming the file and what is wrong with it. */
function readWorkflow(file: string, configDir: string | undefined, where: string): unknown {
  if (!path.isAbsolute(file) && configDir === undefined) {
    failConfig(
      `${where}: ${JSON.stringify(file)} is a relative path — give the workflow's absolute path`,
    );
  }
  const full = path.resolve(configDir ?? '/', file);
  let text: string;
  try {
    const data = readFileSync(full);
    if (data.length > MAX_WORKFLOW_BYTES) {
      return failConfig(`${where}: ${full} has ${data.length} bytes — not a workflow (over 4 MiB)`);
    }
    text = data.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failConfig(
      `${where}: cannot read the workflow ${full} (${code ?? String(error)}) — check the path in config.toml`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return failConfig(
      `${where}: ${full} is not JSON (${(error as Error).message}) — export the workflow with "Export (API)"`,
    );
  }
  const problem = workflowProblem(value);
  if (problem !== null) failConfig(`${where}: the workflow ${full} ${problem}`);
  return value;
}
