// The only module that talks to node-llama-cpp: starts llama.cpp on the chosen backend (never
// building or downloading anything), loads a GGUF model with one context, and generates one chat
// reply through the model's own chat template. The engine (index.ts) owns when to load and unload.
import type { ChatHistoryItem, Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { errorMessage } from '../../errors/message.js';

/** `gpu` in config.toml. */
export const LLAMA_GPU_CHOICES = ['auto', 'cuda', 'vulkan', 'metal', 'cpu'] as const;
export type LlamaGpuChoice = (typeof LLAMA_GPU_CHOICES)[number];

export interface LlamaBackend {
  /** CUDA, Vulkan, Metal or CPU. */
  name: string;
  /** The GPUs llama.cpp uses (none on CPU). */
  devices: string[];
  load(path: string, contextSize: number): Promise<LoadedModel>;
  dispose(): Promise<void>;
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface GenerateOptions {
  maxTokens: number;
  temperature: number;
  seed: number | undefined;
  stop: string[];
  signal: AbortSignal;
  /** Called with the text of each new piece of the reply. */
  onText(text: string, tokensSoFar: number): void;
}

export interface Generation {
  text: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length';
}

export interface LoadedModel {
  generate(messages: ChatMessage[], options: GenerateOptions): Promise<Generation>;
  dispose(): Promise<void>;
}

/** Starts llama.cpp; throws with what to change when the backend cannot start. */
export async function startLlamaBackend(
  gpu: LlamaGpuChoice,
  threads: number,
): Promise<LlamaBackend> {
  // Never fetch or compile anything at run time: also for code paths that read the environment.
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = 'true';
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  let llama: Llama;
  try {
    llama = await getLlama({
      build: 'never',
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
      gpu: gpu === 'cpu' ? false : gpu,
      ...(threads > 0 ? { maxThreads: threads } : {}),
    });
  } catch (error) {
    // node-llama-cpp says only "NoBinaryFoundError" when no shipped build loads (no driver).
    const why = /NoBinaryFoundError/.test(`${nameOf(error)} ${errorMessage(error)}`)
      ? `none of the llama.cpp builds this worker carries works here with gpu = "${gpu}"`
      : errorMessage(error);
    throw new Error(
      `could not start llama.cpp with gpu = "${gpu}": ${why} — ` +
        (gpu === 'auto' || gpu === 'cpu'
          ? 'this build of the worker has no llama.cpp binary for this machine'
          : 'set gpu = "auto" (or "cpu") in the llama [[engines]] table, or install that GPU\'s driver'),
    );
  }
  // Asked for one GPU backend, node-llama-cpp may quietly start another (Metal on Linux runs on
  // the CPU): a job that was meant for the GPU must not crawl on the CPU unannounced.
  if (gpu !== 'auto' && gpu !== 'cpu' && llama.gpu !== gpu) {
    const instead = backendName(llama.gpu);
    await llama.dispose().catch(() => undefined);
    throw new Error(
      `could not start llama.cpp with gpu = "${gpu}": it would run on ${instead} instead — ` +
        `set gpu = "auto" (or "${instead === 'CPU' ? 'cpu' : instead.toLowerCase()}") in the ` +
        "llama [[engines]] table, or install that GPU's driver",
    );
  }
  const devices = llama.gpu === false ? [] : await llama.getGpuDeviceNames().catch(() => []);
  return {
    name: backendName(llama.gpu),
    devices,
    load: (path, contextSize) => loadModel(llama, path, contextSize, threads),
    dispose: () => llama.dispose(),
  };
}

function backendName(gpu: Llama['gpu']): string {
  switch (gpu) {
    case 'cuda':
      return 'CUDA';
    case 'vulkan':
      return 'Vulkan';
    case 'metal':
      return 'Metal';
    default:
      return 'CPU';
  }
}

async function loadModel(
  llama: Llama,
  path: string,
  contextSize: number,
  threads: number,
): Promise<LoadedModel> {
  const model: LlamaModel = await llama.loadModel({ modelPath: path });
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize,
      sequences: 1,
      ...(threads > 0 ? { threads } : {}),
    });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  return {
    generate: (messages, options) => generate(model, context, messages, options),
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}

async function generate(
  model: LlamaModel,
  context: LlamaContext,
  messages: ChatMessage[],
  options: GenerateOptions,
): Promise<Generation> {
  const { LlamaChat } = await import('node-llama-cpp');
  const sequence = context.getSequence();
  const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: true });
  try {
    const history = chatHistory(messages);
    const prompt = chat.chatWrapper.generateContextState({ chatHistory: history });
    const promptTokens = prompt.contextText.tokenize(model.tokenizer).length;
    let completionTokens = 0;
    const answer = await chat.generateResponse(history, {
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.stop.length > 0 ? { customStopTriggers: options.stop } : {}),
      signal: options.signal,
      onToken: (tokens) => {
        completionTokens += tokens.length;
      },
      onTextChunk: (text) => options.onText(text, completionTokens),
    });
    return {
      text: answer.response,
      promptTokens,
      completionTokens,
      finishReason: answer.metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
    };
  } finally {
    // Disposes the sequence too: the next job starts from an empty context.
    chat.dispose();
  }
}

/**
 * OpenAI messages as node-llama-cpp's chat history, ending with the model's turn to answer (an
 * assistant message at the end is a reply to continue). Roles other than system and assistant
 * ("developer" aside, which is a system message) speak as the user.
 */
export function chatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map(({ role, content }) => {
    if (role === 'system' || role === 'developer') return { type: 'system', text: content };
    if (role === 'assistant') return { type: 'model', response: [content] };
    return { type: 'user', text: content };
  });
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
