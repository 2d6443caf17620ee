// The server side of RFC 6455, as small as the tests need: the opening handshake, unmasked text
// frames out, and a close frame answered. The `ws` package is not installed here; undici brings
// only the client.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Answers the upgrade request; returns false (and refuses) when it is not a WebSocket one. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex): boolean {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    return false;
  }
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\n' +
      'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  // The client's frames are masked; the only one that matters here is close (opcode 8).
  socket.on('data', (data: Buffer) => {
    if ((data[0]! & 0x0f) === 0x8) {
      socket.end(frame(0x8, Buffer.alloc(0)));
    }
  });
  socket.on('error', () => undefined);
  return true;
}

/** One unmasked frame with FIN set. */
export function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

export function sendText(socket: Duplex, text: string): void {
  if (!socket.destroyed) socket.write(frame(0x1, Buffer.from(text, 'utf8')));
}

export function sendBinary(socket: Duplex, data: Buffer): void {
  if (!socket.destroyed) socket.write(frame(0x2, data));
}
