/**
 * Draws the app icons in web/icons/ (run by hand after changing the design; the PNGs are committed):
 *
 *   node scripts/make-icons.mjs
 *
 * The icon is a small causal attention matrix: a 4 x 4 grid of weights on the course's blue, the
 * strongest weight of the last row in orange. icon.svg and icon-192/512.png have rounded corners
 * and a transparent outside ("any"); maskable-192/512.png fill the square edge to edge and keep the
 * grid inside the central safe circle (radius 40%) that launchers may crop to.
 * The PNGs are rasterised here (4 x 4 supersampling) and written with node:zlib, no dependencies.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const OUT = new URL('../web/icons/', import.meta.url);
const BG = [0x0a, 0x5f, 0xa3];
const WHITE = [0xff, 0xff, 0xff];
const ORANGE = [0xf5, 0x93, 0x22];
// Row-stochastic causal weights (each row sums to 1; nothing above the diagonal).
const WEIGHTS = [
  [1, 0, 0, 0],
  [0.4, 0.6, 0, 0],
  [0.2, 0.55, 0.25, 0],
  [0.1, 0.15, 0.65, 0.1],
];
const HIGHLIGHT = [3, 2];

/** The design in a 512-unit square: a list of rounded rectangles { x, y, w, h, r, rgb, a }. */
function shapes(maskable) {
  const list = [maskable
    ? { x: 0, y: 0, w: 512, h: 512, r: 0, rgb: BG, a: 1 }
    : { x: 16, y: 16, w: 480, h: 480, r: 104, rgb: BG, a: 1 }];
  const grid = maskable ? 272 : 312;
  const gap = grid * 0.07;
  const cell = (grid - 3 * gap) / 4;
  const x0 = (512 - grid) / 2;
  WEIGHTS.forEach((row, i) => row.forEach((w, j) => {
    const hi = i === HIGHLIGHT[0] && j === HIGHLIGHT[1];
    list.push({
      x: x0 + j * (cell + gap), y: x0 + i * (cell + gap), w: cell, h: cell, r: cell * 0.18,
      rgb: hi ? ORANGE : WHITE, a: hi ? 1 : j > i ? 0.14 : 0.3 + 0.7 * w,
    });
  }));
  return list;
}

function inside(s, x, y) {
  if (x < s.x || y < s.y || x > s.x + s.w || y > s.y + s.h) return false;
  const cx = Math.min(Math.max(x, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(y, s.y + s.r), s.y + s.h - s.r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= s.r ** 2;
}

/** RGBA pixels of the icon at `size` px. */
function raster(size, maskable) {
  const list = shapes(maskable);
  const px = Buffer.alloc(size * size * 4);
  const SS = 4;
  const unit = 512 / size;
  for (let py = 0; py < size; py++) {
    for (let pxx = 0; pxx < size; pxx++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = (pxx + (sx + 0.5) / SS) * unit;
          const y = (py + (sy + 0.5) / SS) * unit;
          let cr = 0, cg = 0, cb = 0, ca = 0; // premultiplied "over" compositing
          for (const s of list) {
            if (!inside(s, x, y)) continue;
            cr = s.rgb[0] * s.a + cr * (1 - s.a);
            cg = s.rgb[1] * s.a + cg * (1 - s.a);
            cb = s.rgb[2] * s.a + cb * (1 - s.a);
            ca = s.a + ca * (1 - s.a);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = SS * SS;
      const o = (py * size + pxx) * 4;
      const alpha = a / n;
      px[o] = alpha ? Math.round(r / n / alpha) : 0;
      px[o + 1] = alpha ? Math.round(g / n / alpha) : 0;
      px[o + 2] = alpha ? Math.round(b / n / alpha) : 0;
      px[o + 3] = Math.round(alpha * 255);
    }
  }
  return px;
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG file (8-bit RGBA, no interlace) from RGBA pixels. */
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4); // filter 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function svg() {
  const hex = (rgb) => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  const n = (v) => +v.toFixed(2);
  const rects = shapes(false).map((s) =>
    `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" rx="${n(s.r)}" fill="${hex(s.rgb)}"${s.a < 1 ? ` fill-opacity="${n(s.a)}"` : ''}/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">\n${rects.join('\n')}\n</svg>\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const size of [192, 512]) {
    writeFileSync(new URL(`icon-${size}.png`, OUT), encodePng(size, raster(size, false)));
    writeFileSync(new URL(`maskable-${size}.png`, OUT), encodePng(size, raster(size, true)));
  }
  writeFileSync(new URL('icon.svg', OUT), svg());
  console.log('make-icons: wrote web/icons/icon.svg, icon-192.png, icon-512.png, maskable-192.png, maskable-512.png');
}
