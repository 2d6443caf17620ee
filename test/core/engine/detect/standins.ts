// Loopback stand-ins for the servers `engines detect` looks for, on random ports: Ollama and
// AUTOMATIC1111 answering with their recorded answers, the ComfyUI stand-in, and closed ports
// for the rest (so a server that happens to run on this machine's usual port is never probed).
import type { DetectServer } from '../../../../src/core/engine/detect/detect.js';
import { startComfyStandIn, type ComfyStandIn } from '../comfyui/comfy-standin.js';
import { closedPort } from '../../studio/loopback-server.js';
import { A1111_FIXTURES, fixtureText, OPENAI_FIXTURES } from '../remote/fixtures.js';
import { reply, routedServer, type Loopback } from '../remote/server.js';

export interface DetectStandIns {
  ollama: Loopback;
  a1111: Loopback;
  comfy: ComfyStandIn;
  /** A port for every server: the stand-ins' and closed ones. */
  ports: Record<DetectServer, number>;
  /** The same, as `--port name=port` arguments. */
  portArgs: string[];
  close(): Promise<void>;
}

const portOf = (url: string) => Number(new URL(url).port);

export async function startDetectStandIns(): Promise<DetectStandIns> {
  const ollama = await routedServer({
    // An Ollama without /v1/models (it answers 404): the openai engine falls back to /api/tags.
    'GET /api/tags': reply(200, await fixtureText(OPENAI_FIXTURES.ollamaTags)),
    'POST /v1/chat/completions': reply(200, await fixtureText(OPENAI_FIXTURES.chatLength)),
  });
  const a1111 = await routedServer({
    'GET /sdapi/v1/sd-models': reply(200, await fixtureText(A1111_FIXTURES.sdModelsLinux)),
  });
  const comfy = await startComfyStandIn();
  const ports: Record<DetectServer, number> = {
    comfyui: portOf(comfy.url),
    a1111: portOf(a1111.url),
    ollama: portOf(ollama.url),
    llamacpp: await closedPort(),
    lmstudio: await closedPort(),
    vllm: await closedPort(),
  };
  return {
    ollama,
    a1111,
    comfy,
    ports,
    portArgs: Object.entries(ports).flatMap(([name, port]) => ['--port', `${name}=${port}`]),
    async close() {
      await Promise.all([ollama.close(), a1111.close(), comfy.close()]);
    },
  };
}
