// A minimal WebAssembly binary writer: just what the page compiler emits.
export const I32 = 0x7f, I64 = 0x7e;

export const Op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, br_table: 0x0e,
  return: 0x0f, call: 0x10, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29, i64_load8_s: 0x30, i64_load8_u: 0x31, i64_load16_s: 0x32,
  i64_load16_u: 0x33, i64_load32_s: 0x34, i64_load32_u: 0x35, i32_store: 0x36, i64_store: 0x37,
  i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_u: 0x49, i32_ge_u: 0x4f,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_u: 0x54, i64_gt_u: 0x56, i64_le_u: 0x58, i64_ge_u: 0x5a,
  i32_clz: 0x67, i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_div_s: 0x6d, i32_div_u: 0x6e,
  i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74, i32_shr_s: 0x75, i32_shr_u: 0x76, i32_rotr: 0x78,
  i64_clz: 0x79, i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_div_s: 0x7f, i64_div_u: 0x80,
  i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85,
  i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88, i64_rotr: 0x8a,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad,
} as const;

// A growable byte buffer with LEB128 encoders. The JIT writes a page's
// module with it (tens of thousands of bytes per page, at every hot page),
// so it writes into a typed array and encodes small numbers without BigInt.
export class Bytes {
  private buf = new Uint8Array(4096);
  private len = 0;
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  byte(...v: number[]): this {
    this.room(v.length);
    for (const x of v) this.buf[this.len++] = x & 0xff;
    return this;
  }
  u32(v: number): this { // unsigned LEB128
    this.room(5);
    v >>>= 0;
    do { let c = v & 0x7f; v >>>= 7; if (v) c |= 0x80; this.buf[this.len++] = c; } while (v);
    return this;
  }
  s64(v: bigint): this { // signed LEB128
    v = BigInt.asIntN(64, v);
    if (v >= -0x8000_0000n && v < 0x8000_0000n) return this.s32(Number(v));
    this.room(10);
    for (;;) {
      const c = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (c & 0x40) === 0) || (v === -1n && (c & 0x40) !== 0)) { this.buf[this.len++] = c; return this; }
      this.buf[this.len++] = c | 0x80;
    }
  }
  s32(v: number): this { // signed LEB128 of a 32-bit value
    this.room(5);
    v |= 0;
    for (;;) {
      const c = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (c & 0x40) === 0) || (v === -1 && (c & 0x40) !== 0)) { this.buf[this.len++] = c; return this; }
      this.buf[this.len++] = c | 0x80;
    }
  }
  bytes(v: number[] | Uint8Array): this {
    this.room(v.length);
    if (v instanceof Uint8Array) this.buf.set(v, this.len);
    else for (let i = 0; i < v.length; i++) this.buf[this.len + i] = v[i] & 0xff;
    this.len += v.length;
    return this;
  }
  name(s: string): this { this.u32(s.length); this.room(s.length); for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i); return this; }
  vec(items: number[][]): this { this.u32(items.length); for (const i of items) this.bytes(i); return this; }
  section(id: number, body: Bytes): this { this.byte(id).u32(body.length); return this.bytes(body.view()); }
  get length(): number { return this.len; }
  // The bytes written so far (a view: valid until the next write).
  view(): Uint8Array { return this.buf.subarray(0, this.len); }
}

export interface FuncType { params: number[]; results: number[] }

// A module importing env.memory and some functions, exporting one function "run".
export function buildModule(types: FuncType[], imports: { name: string; type: number }[], runType: number,
  locals: { count: number; type: number }[], body: Bytes): Uint8Array {
  const m = new Bytes().byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  const t = new Bytes().u32(types.length);
  for (const ty of types) { t.byte(0x60).u32(ty.params.length).bytes(ty.params).u32(ty.results.length).bytes(ty.results); }
  m.section(1, t);
  const im = new Bytes().u32(imports.length + 1);
  im.name("env").name("memory").byte(0x02).byte(0x00).u32(0);
  for (const i of imports) im.name("env").name(i.name).byte(0x00).u32(i.type);
  m.section(2, im);
  m.section(3, new Bytes().u32(1).u32(runType));
  m.section(7, new Bytes().u32(1).name("run").byte(0x00).u32(imports.length));
  const fn = new Bytes().u32(locals.length);
  for (const l of locals) fn.u32(l.count).byte(l.type);
  fn.bytes(body.view()).byte(Op.end);
  m.section(10, new Bytes().u32(1).u32(fn.length).bytes(fn.view()));
  return m.view().slice();
}
