// A stand-in for OpenPhone's file host serving one real PNG, so the MMS picture crmd downloads
// (CRM_MEDIA_DIR) and serves from /media really decodes in the browser. The emulator's own media
// files are pseudo-random bytes, fine for recordings (the player never plays them) but not for an
// <img> whose decoding the test checks.
import http from 'node:http';
import { once } from 'node:events';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// Width and height of the picture served, for a test to check that it decoded.
export const pictureSize = 160;

// A size × size RGB gradient (a stand-in for a photo of a wall).
function gradientPng(size = pictureSize) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3); // each row starts with filter type 0
    for (let x = 0; x < size; x++) {
      raw[row + 1 + x * 3] = Math.round((x / size) * 255);
      raw[row + 2 + x * 3] = 120;
      raw[row + 3 + x * 3] = Math.round((y / size) * 255);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Serves the PNG under any path ending in .png; resolves with { base, close() }.
export async function startMediaServer() {
  const png = gradientPng();
  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url.endsWith('.png')) {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      response.end(png);
    } else {
      response.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
