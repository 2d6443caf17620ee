// A tiny random-weight llama model as a GGUF v3 file (about 0.5 MB), written on the fly so the
// tests and `demo --engine llama` run real llama.cpp inference without downloading a model.
//
// The format (github.com/ggml-org/ggml, docs/gguf.md): "GGUF", version 3, tensor and key counts,
// the metadata keys, the tensor infos, padding to the alignment, then the tensor data. Every
// tensor is f32. The vocabulary is a SentencePiece ("llama") one: <unk> <s> </s>, the two ChatML
// markers, the 256 byte-fallback tokens <0x00>..<0xFF> (so any text tokenizes) and a few words.
//
// The weights are random but shaped so that generation reads as words and never ends by itself:
// every token embedding carries a large constant in dimension 0, the layers add little, so the
// final hidden state always points along dimension 0; the output row of each word then has a
// positive weight there, of each byte or control token a negative one. Generation therefore
// always runs to max_tokens or a stop string, which is what the tests need to count tokens.
import { createRandom, type Random } from '../synthetic/seed.js';

/** Width of the embedding, feed-forward width, heads, layers: the smallest llama.cpp accepts well. */
const EMBED = 64;
const FEED_FORWARD = 128;
const HEADS = 4;
const LAYERS = 2;
const ALIGNMENT = 32;
/** Context length the model says it was trained on. */
export const TINY_GGUF_CONTEXT = 512;

const WORDS = (
  'the a studio worker model light river quiet render pixel canvas signal forest garden ' +
  'stone cloud golden window sound echo bright gentle evening shape colour distant morning ' +
  'silver paper engine token small green blue red slow fast warm cold open bridge tower ' +
  'field storm rain snow sun moon star sea hill road door book song dream story voice line ' +
  'frame wave is and of in on with runs sings turns waits grows falls'
).split(' ');

/** The chat template (ChatML), which node-llama-cpp recognises and formats natively. */
const CHAT_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + " +
  "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** SentencePiece token types (llama.cpp's llama_token_type). */
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BYTE = 6;

interface Vocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
}

function vocabulary(): Vocabulary {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const add = (token: string, score: number, type: number) => {
    tokens.push(token);
    scores.push(score);
    types.push(type);
  };
  add('<unk>', 0, UNKNOWN);
  add('<s>', 0, CONTROL);
  add('</s>', 0, CONTROL);
  add('<|im_start|>', 0, CONTROL);
  add('<|im_end|>', 0, CONTROL);
  for (let byte = 0; byte < 256; byte += 1) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, 0, BYTE);
  }
  // SentencePiece marks a word's leading space with U+2581; higher scores merge first.
  add('\u2581', -1, NORMAL);
  for (const letter of 'abcdefghijklmnopqrstuvwxyz') add(letter, -2, NORMAL);
  for (const word of new Set(WORDS)) add(`\u2581${word}`, -1 - word.length / 100, NORMAL);
  return { tokens, scores, types };
}

/** Token ids: the order of `vocabulary()`. */
const EOS_ID = 2;
const BOS_ID = 1;
const UNK_ID = 0;
/** Control tokens, bytes, the space marker and the letters come before the words. */
const FIRST_WORD_ID = 5 + 256 + 1 + 26;

type Value =
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'f32s'; value: number[] }
  | { type: 'i32s'; value: number[] };

interface Tensor {
  name: string;
  /** ggml order: the first dimension is the innermost (contiguous) one. */
  dims: number[];
  data: Float32Array;
}

/** GGUF value type codes. */
const GGUF = { u32: 4, i32: 5, f32: 6, string: 8, array: 9 } as const;

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  raw(bytes: Uint8Array): void {
    this.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    if (pad > 0) this.push(Buffer.alloc(pad));
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(out: ByteWriter, value: Value): void {
  switch (value.type) {
    case 'u32':
      out.u32(GGUF.u32);
      out.u32(value.value);
      return;
    case 'f32':
      out.u32(GGUF.f32);
      out.f32(value.value);
      return;
    case 'string':
      out.u32(GGUF.string);
      out.string(value.value);
      return;
    case 'strings':
      out.u32(GGUF.array);
      out.u32(GGUF.string);
      out.u64(value.value.length);
      for (const s of value.value) out.string(s);
      return;
    case 'f32s':
      out.u32(GGUF.array);
      out.u32(GGUF.f32);
      out.u64(value.value.length);
      for (const n of value.value) out.f32(n);
      return;
    case 'i32s':
      out.u32(GGUF.array);
      out.u32(GGUF.i32);
      out.u64(value.value.length);
      for (const n of value.value) out.i32(n);
      return;
  }
}

function gaussian(random: Random): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function randomMatrix(random: Random, count: number, scale: number): Float32Array {
  const data = new Float32Array(count);
  for (let i = 0; i < count; i += 1) data[i] = gaussian(random) * scale;
  return data;
}

function ones(count: number): Float32Array {
  return new Float32Array(count).fill(1);
}

function tensors(random: Random, vocab: Vocabulary): Tensor[] {
  const n = vocab.tokens.length;
  const embedding = randomMatrix(random, EMBED * n, 0.5);
  const output = randomMatrix(random, EMBED * n, 0.3);
  for (let token = 0; token < n; token += 1) {
    embedding[token * EMBED] = 4;
    // Words are likely, bytes and control tokens never chosen (see the header comment).
    output[token * EMBED] = token >= FIRST_WORD_ID ? 1 : -4;
  }
  const list: Tensor[] = [
    { name: 'token_embd.weight', dims: [EMBED, n], data: embedding },
    { name: 'output_norm.weight', dims: [EMBED], data: ones(EMBED) },
    { name: 'output.weight', dims: [EMBED, n], data: output },
  ];
  for (let layer = 0; layer < LAYERS; layer += 1) {
    const block = (part: string, dims: number[], data: Float32Array) =>
      list.push({ name: `blk.${layer}.${part}.weight`, dims, data });
    const square = () => randomMatrix(random, EMBED * EMBED, 0.05);
    block('attn_norm', [EMBED], ones(EMBED));
    block('attn_q', [EMBED, EMBED], square());
    block('attn_k', [EMBED, EMBED], square());
    block('attn_v', [EMBED, EMBED], square());
    block('attn_output', [EMBED, EMBED], square());
    block('ffn_norm', [EMBED], ones(EMBED));
    block('ffn_gate', [EMBED, FEED_FORWARD], randomMatrix(random, EMBED * FEED_FORWARD, 0.05));
    block('ffn_up', [EMBED, FEED_FORWARD], randomMatrix(random, EMBED * FEED_FORWARD, 0.05));
    block('ffn_down', [FEED_FORWARD, EMBED], randomMatrix(random, EMBED * FEED_FORWARD, 0.05));
  }
  return list;
}

export interface TinyGgufOptions {
  /** Seed of the random weights: the same seed gives the same file, byte for byte. */
  seed?: number;
  /** The model's name in general.name. */
  name?: string;
}

/** The bytes of a tiny llama GGUF v3 model. */
export function tinyGguf(options: TinyGgufOptions = {}): Uint8Array {
  const vocab = vocabulary();
  const list = tensors(createRandom(options.seed ?? 1), vocab);
  const metadata: [string, Value][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? 'tiny-random-llama' }],
    ['general.alignment', { type: 'u32', value: ALIGNMENT }],
    ['general.file_type', { type: 'u32', value: 0 }],
    ['llama.context_length', { type: 'u32', value: TINY_GGUF_CONTEXT }],
    ['llama.embedding_length', { type: 'u32', value: EMBED }],
    ['llama.block_count', { type: 'u32', value: LAYERS }],
    ['llama.feed_forward_length', { type: 'u32', value: FEED_FORWARD }],
    ['llama.attention.head_count', { type: 'u32', value: HEADS }],
    ['llama.attention.head_count_kv', { type: 'u32', value: HEADS }],
    ['llama.rope.dimension_count', { type: 'u32', value: EMBED / HEADS }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', { type: 'u32', value: vocab.tokens.length }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32s', value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: vocab.types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: BOS_ID }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: EOS_ID }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: UNK_ID }],
    ['tokenizer.chat_template', { type: 'string', value: CHAT_TEMPLATE }],
  ];

  const out = new ByteWriter();
  out.raw(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(list.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const tensor of list) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(0); // GGML_TYPE_F32
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.padTo(ALIGNMENT);
  for (const tensor of list) {
    out.raw(new Uint8Array(tensor.data.buffer));
    out.padTo(ALIGNMENT);
  }
  return out.bytes();
}
