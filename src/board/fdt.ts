// Flattened device trees (the Devicetree Specification v0.4, chapter 5): a
// tree of nodes and properties written as a DTB (version 17, last compatible
// version 16) and read back from one. Platform-neutral.
//
// Blob layout written by toBytes(): the 40-byte header, the memory
// reservation block (8-byte aligned, 16-byte entries ending with a zero
// entry), the structure block (FDT_BEGIN_NODE / FDT_PROP / FDT_END_NODE
// tokens, 4-byte aligned, ending with FDT_END) and the strings block
// (property names, each stored once). Big-endian throughout.

const FDT_MAGIC = 0xd00dfeed;
const FDT_VERSION = 17;
const FDT_LAST_COMP_VERSION = 16;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const HEADER_SIZE = 40;

// Node names: node-name[@unit-address], 1-31 characters before the '@'
// (spec 2.2.1, Table 2.1). Property names: 1-31 characters (spec 2.2.4.1,
// Table 2.2).
const NODE_NAME = /^[0-9A-Za-z,._+-]{1,31}(@[0-9A-Za-z,._+-]+)?$/;
const PROP_NAME = /^[0-9A-Za-z,._+?#-]{1,31}$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface MemReservation { address: bigint; size: bigint }

export class FdtNode {
  readonly children: FdtNode[] = [];
  // Insertion-ordered; values are the raw big-endian property bytes.
  readonly props = new Map<string, Uint8Array>();

  /** @internal use Fdt.root / addNode */
  constructor(readonly tree: Fdt, readonly name: string) {}

  addNode(name: string): FdtNode {
    if (!NODE_NAME.test(name)) throw new Error(`invalid device tree node name "${name}"`);
    if (this.child(name)) throw new Error(`duplicate device tree node "${name}"`);
    const node = new FdtNode(this.tree, name);
    this.children.push(node);
    return node;
  }

  child(name: string): FdtNode | undefined {
    return this.children.find((c) => c.name === name);
  }

  // ---- setters (each replaces a property of the same name; chainable) ----

  setBytes(name: string, value: Uint8Array): this {
    if (!PROP_NAME.test(name)) throw new Error(`invalid device tree property name "${name}"`);
    this.props.set(name, value.slice());
    return this;
  }

  setEmpty(name: string): this {
    return this.setBytes(name, new Uint8Array(0));
  }

  // One 32-bit cell per value (a <u32> or <prop-encoded-array>).
  setU32(name: string, ...cells: number[]): this {
    const out = new Uint8Array(cells.length * 4);
    const dv = new DataView(out.buffer);
    cells.forEach((c, i) => {
      if (!Number.isInteger(c) || c < 0 || c > 0xffff_ffff) throw new Error(`property ${name}: cell ${c} is not a u32`);
      dv.setUint32(i * 4, c);
    });
    return this.setBytes(name, out);
  }

  // Two cells (high, low) per value (a <u64>, or #address-cells = 2 values).
  setU64(name: string, ...values: (bigint | number)[]): this {
    const out = new Uint8Array(values.length * 8);
    const dv = new DataView(out.buffer);
    values.forEach((v, i) => {
      const b = BigInt(v);
      if (b < 0n || b > 0xffff_ffff_ffff_ffffn) throw new Error(`property ${name}: ${v} is not a u64`);
      dv.setBigUint64(i * 8, b);
    });
    return this.setBytes(name, out);
  }

  setString(name: string, value: string): this {
    return this.setStrings(name, value);
  }

  // A <stringlist>: NUL-terminated strings, concatenated.
  setStrings(name: string, ...values: string[]): this {
    const parts = values.map((s) => {
      if (s.includes("\0")) throw new Error(`property ${name}: string contains NUL`);
      return encoder.encode(s);
    });
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length + 1;
    }
    return this.setBytes(name, out);
  }

  // This node's phandle, allocating one (and the "phandle" property) on first use.
  phandle(): number {
    const existing = this.props.get("phandle");
    if (existing && existing.length === 4) return new DataView(existing.buffer, existing.byteOffset).getUint32(0);
    const p = this.tree.allocPhandle();
    this.setU32("phandle", p);
    return p;
  }

  // ---- getters ----

  prop(name: string): Uint8Array | undefined {
    return this.props.get(name);
  }

  getU32s(name: string): number[] | undefined {
    const v = this.props.get(name);
    if (!v || v.length % 4 !== 0) return undefined;
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    return Array.from({ length: v.length / 4 }, (_, i) => dv.getUint32(i * 4));
  }

  getU64s(name: string): bigint[] | undefined {
    const v = this.props.get(name);
    if (!v || v.length % 8 !== 0) return undefined;
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    return Array.from({ length: v.length / 8 }, (_, i) => dv.getBigUint64(i * 8));
  }

  getStrings(name: string): string[] | undefined {
    const v = this.props.get(name);
    if (!v || v.length === 0 || v[v.length - 1] !== 0) return undefined;
    return decoder.decode(v.subarray(0, v.length - 1)).split("\0");
  }

  getString(name: string): string | undefined {
    const s = this.getStrings(name);
    return s && s.length === 1 ? s[0] : undefined;
  }
}

export class Fdt {
  readonly root: FdtNode;
  readonly reservations: MemReservation[] = [];
  bootCpuIdPhys = 0;
  private nextPhandle = 1;

  constructor() {
    this.root = new FdtNode(this, "");
  }

  allocPhandle(): number {
    return this.nextPhandle++;
  }

  // An entry of the memory reservation block (/memreserve/).
  reserve(address: bigint, size: bigint): this {
    this.reservations.push({ address, size });
    return this;
  }

  // The node at an absolute path ("/", "/cpus/cpu@0").
  find(path: string): FdtNode | undefined {
    if (!path.startsWith("/")) return undefined;
    let node: FdtNode | undefined = this.root;
    for (const part of path.split("/").filter((p) => p !== "")) {
      node = node.child(part);
      if (!node) return undefined;
    }
    return node;
  }

  // Every node with its absolute path, parents first.
  *walk(): Generator<[string, FdtNode]> {
    const stack: [string, FdtNode][] = [["/", this.root]];
    while (stack.length > 0) {
      const [path, node] = stack.pop()!;
      yield [path, node];
      for (let i = node.children.length - 1; i >= 0; i--) {
        const c = node.children[i];
        stack.push([path === "/" ? `/${c.name}` : `${path}/${c.name}`, c]);
      }
    }
  }

  toBytes(): Uint8Array {
    // Strings block, each name stored once.
    const stringOffsets = new Map<string, number>();
    const stringParts: Uint8Array[] = [];
    let stringsSize = 0;
    const nameOffset = (name: string): number => {
      let off = stringOffsets.get(name);
      if (off === undefined) {
        off = stringsSize;
        const b = encoder.encode(name);
        stringParts.push(b);
        stringsSize += b.length + 1;
        stringOffsets.set(name, off);
      }
      return off;
    };

    // Structure block.
    const words: Uint8Array[] = [];
    let structSize = 0;
    const push = (b: Uint8Array) => {
      words.push(b);
      structSize += b.length;
    };
    const token = (t: number, ...extra: number[]) => {
      const b = new Uint8Array(4 * (1 + extra.length));
      const dv = new DataView(b.buffer);
      dv.setUint32(0, t);
      extra.forEach((x, i) => dv.setUint32(4 + 4 * i, x));
      push(b);
    };
    const padded = (data: Uint8Array, terminate: boolean) => {
      const len = data.length + (terminate ? 1 : 0);
      const b = new Uint8Array((len + 3) & ~3);
      b.set(data);
      push(b);
    };
    const emit = (node: FdtNode) => {
      token(FDT_BEGIN_NODE);
      padded(encoder.encode(node.name), true);
      for (const [name, value] of node.props) {
        token(FDT_PROP, value.length, nameOffset(name));
        padded(value, false);
      }
      for (const c of node.children) emit(c);
      token(FDT_END_NODE);
    };
    emit(this.root);
    token(FDT_END);

    const rsvOff = HEADER_SIZE; // 40: already 8-byte aligned
    const rsvSize = 16 * (this.reservations.length + 1);
    const structOff = rsvOff + rsvSize;
    const stringsOff = structOff + structSize;
    const total = stringsOff + stringsSize;

    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    const header = [FDT_MAGIC, total, structOff, stringsOff, rsvOff, FDT_VERSION, FDT_LAST_COMP_VERSION,
      this.bootCpuIdPhys, stringsSize, structSize];
    header.forEach((v, i) => dv.setUint32(4 * i, v));
    this.reservations.forEach((r, i) => {
      dv.setBigUint64(rsvOff + 16 * i, r.address);
      dv.setBigUint64(rsvOff + 16 * i + 8, r.size);
    });
    let off = structOff;
    for (const w of words) {
      out.set(w, off);
      off += w.length;
    }
    off = stringsOff;
    for (const s of stringParts) {
      out.set(s, off);
      off += s.length + 1;
    }
    return out;
  }

  // Reads a DTB (version 16 or later). Throws Error on a malformed blob.
  static fromBytes(bytes: Uint8Array): Fdt {
    const bad = (why: string): never => {
      throw new Error(`malformed device tree blob: ${why}`);
    };
    if (bytes.length < HEADER_SIZE) bad("shorter than its header");
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const h = (i: number) => dv.getUint32(4 * i);
    if (h(0) !== FDT_MAGIC) bad("bad magic");
    const total = h(1), structOff = h(2), stringsOff = h(3), rsvOff = h(4), lastComp = h(6);
    if (lastComp > FDT_VERSION) bad(`incompatible version (last compatible ${lastComp})`);
    if (total > bytes.length) bad("truncated");
    const stringsSize = h(8), structSize = h(9);
    if (structOff + structSize > total || stringsOff + stringsSize > total || rsvOff > total) bad("block outside the blob");

    const fdt = new Fdt();
    fdt.bootCpuIdPhys = h(7);
    for (let p = rsvOff; ; p += 16) {
      if (p + 16 > total) bad("unterminated memory reservation block");
      const address = dv.getBigUint64(p), size = dv.getBigUint64(p + 8);
      if (address === 0n && size === 0n) break;
      fdt.reservations.push({ address, size });
    }
    const cstring = (start: number, end: number): [string, number] => {
      let z = start;
      while (z < end && bytes[z] !== 0) z++;
      if (z >= end) bad("unterminated string");
      return [decoder.decode(bytes.subarray(start, z)), z];
    };

    let p = structOff;
    const end = structOff + structSize;
    const word = () => {
      if (p + 4 > end) bad("structure block overrun");
      const v = dv.getUint32(p);
      p += 4;
      return v;
    };
    const stack: FdtNode[] = [];
    let maxPhandle = 0;
    let done = false;
    while (!done) {
      const t = word();
      switch (t) {
        case FDT_BEGIN_NODE: {
          const [name, z] = cstring(p, end);
          p = (z + 1 + 3) & ~3;
          let node: FdtNode;
          if (stack.length === 0) {
            if (fdt.root.props.size > 0 || fdt.root.children.length > 0) bad("more than one root node");
            node = fdt.root;
          } else {
            node = new FdtNode(fdt, name);
            stack[stack.length - 1].children.push(node);
          }
          stack.push(node);
          break;
        }
        case FDT_END_NODE:
          if (stack.length === 0) bad("unbalanced FDT_END_NODE");
          stack.pop();
          break;
        case FDT_PROP: {
          if (stack.length === 0) bad("property outside a node");
          const len = word(), nameoff = word();
          if (p + len > end) bad("property overruns the structure block");
          if (nameoff >= stringsSize) bad("property name outside the strings block");
          const [name] = cstring(stringsOff + nameoff, stringsOff + stringsSize);
          const node = stack[stack.length - 1];
          node.props.set(name, bytes.slice(p, p + len));
          if (name === "phandle" && len === 4) maxPhandle = Math.max(maxPhandle, dv.getUint32(p));
          p = (p + len + 3) & ~3;
          break;
        }
        case FDT_NOP:
          break;
        case FDT_END:
          done = true;
          break;
        default:
          bad(`unknown token 0x${t.toString(16)}`);
      }
    }
    if (stack.length !== 0) bad("unterminated node");
    fdt.nextPhandle = maxPhandle + 1;
    return fdt;
  }
}
