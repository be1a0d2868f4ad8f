// A raw binary: the file's bytes at one address, entered at its first byte
// unless told otherwise.
import { UserError } from "../errors";
import type { LoadedImage } from "./image";

export const RAW_DEFAULT_LOAD = 0x4008_0000n;

export function loadRaw(bytes: Uint8Array, name: string, addr: bigint = RAW_DEFAULT_LOAD): LoadedImage {
  if (bytes.length === 0) throw new UserError(`${name}: empty file`);
  return { entry: addr, segments: [{ addr, data: bytes, memSize: bytes.length }] };
}
