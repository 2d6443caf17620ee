// What a model file says about itself before it is loaded: read from the GGUF header only (the
// weights are not read), with a clear error for a file that is missing or not a GGUF model, and
// the GPU memory it needs: the weights plus the key/value cache of the configured context.
import { open, stat } from 'node:fs/promises';
import type { GgufFileInfo } from 'node-llama-cpp';
import { errorMessage } from '../../errors/message.js';

export interface ModelFileInfo {
  /** GiB of GPU memory to load every layer and a context of `contextSize` tokens. */
  vramGb: number;
  /** The context the model was trained on, where the header says. */
  trainContextSize: number | null;
}

const GIB = 1024 ** 3;

/** Throws, naming the model and the file, when it is missing or not a GGUF model. */
export async function readModelFileInfo(
  modelId: string,
  path: string,
  contextSize: number,
): Promise<ModelFileInfo> {
  await checkMagic(modelId, path);
  const { readGgufFileInfo, GgufInsights } = await import('node-llama-cpp');
  let insights;
  try {
    const info = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false });
    insights = await GgufInsights.from(info);
  } catch (error) {
    throw unusable(modelId, path, `its GGUF header cannot be read (${errorMessage(error)})`);
  }
  await checkComplete(modelId, path, insights.ggufFileInfo, insights.modelSize);
  const layers = insights.totalLayers;
  // Both halves of each estimate: without a GPU, llama.cpp counts the same bytes as CPU memory.
  const weights = insights.estimateModelResourceRequirements({ gpuLayers: layers });
  const cache = insights.estimateContextResourceRequirements({
    contextSize,
    modelGpuLayers: layers,
  });
  const bytes = weights.gpuVram + weights.cpuRam + cache.gpuVram + cache.cpuRam;
  return {
    vramGb: Math.max(0.01, Math.round((bytes / GIB) * 100) / 100),
    trainContextSize: insights.trainContextSize ?? null,
  };
}

/** A download cut short has a whole header but not all the weights it lists. */
async function checkComplete(
  modelId: string,
  path: string,
  info: GgufFileInfo,
  tensorBytes: number,
): Promise<void> {
  const tensors = info.tensorInfo ?? [];
  if (info.splicedParts > 1 || tensors.length === 0) return;
  const dataStart = Math.min(...tensors.map((t) => Number(t.fileOffset)));
  const needed = dataStart + tensorBytes;
  const { size } = await stat(path);
  if (size < needed) {
    throw unusable(
      modelId,
      path,
      `it is cut short (${size} bytes, but its header lists weights up to byte ${needed}; ` +
        'download it again)',
    );
  }
}

/** The first four bytes: a missing, unreadable or foreign file fails here with a plain reason. */
export async function checkMagic(modelId: string, path: string): Promise<void> {
  let handle;
  try {
    // A regular file only: opening a FIFO or a device could block or read forever.
    const info = await stat(path);
    if (info.isDirectory()) throw unusable(modelId, path, 'it is a folder, not a .gguf file');
    if (!info.isFile()) throw unusable(modelId, path, 'it is not a regular file');
    handle = await open(path, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead < 4 || buffer.toString('latin1') !== 'GGUF') {
      throw unusable(modelId, path, 'it is not a GGUF model (the file does not start with "GGUF")');
    }
  } catch (error) {
    if (error instanceof UnusableModelError) throw error;
    throw unusable(modelId, path, reasonOf(error));
  } finally {
    await handle?.close();
  }
}

function reasonOf(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
      return 'the worker may not read it';
    default:
      return errorMessage(error);
  }
}

class UnusableModelError extends Error {}

function unusable(modelId: string, path: string, why: string): Error {
  return new UnusableModelError(
    `llama model "${modelId}" cannot be used: ${path}: ${why} — ` +
      'point model_files at a .gguf file in the llama [[engines]] table of config.toml',
  );
}
