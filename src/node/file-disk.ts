// A BlockBackend on a raw disk image file, in Node. Reads and writes are
// synchronous (the device completes requests before the guest continues);
// flush() is fsync.
import { openSync, readSync, writeSync, fsyncSync, fstatSync, closeSync } from "node:fs";
import { UserError } from "../errors";
import type { BlockBackend } from "../devices/virtio/blk";

export interface FileDiskOptions {
  readonly?: boolean;
}

export class FileDisk implements BlockBackend {
  readonly size: number;
  readonly readonly: boolean;
  private fd: number | undefined;

  constructor(readonly path: string, options: FileDiskOptions = {}) {
    this.readonly = options.readonly ?? false;
    let fd: number | undefined;
    try {
      fd = openSync(path, this.readonly ? "r" : "r+");
      const st = fstatSync(fd);
      if (!st.isFile()) throw Object.assign(new Error("not a regular file"), { code: st.isDirectory() ? "EISDIR" : "ENOTFILE" });
      this.size = st.size;
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file"
        : code === "EISDIR" ? "is a directory"
        : code === "ENOTFILE" ? "not a regular file"
        : code === "EACCES" || code === "EPERM" || code === "EROFS"
          ? (this.readonly ? "cannot be read" : "cannot be opened for writing (use a read-only disk?)")
          : "cannot be read";
      throw new UserError(`${path}: ${why}`);
    }
    this.fd = fd;
  }

  private get handle(): number {
    if (this.fd === undefined) throw new Error(`${this.path}: disk is closed`);
    return this.fd;
  }

  // Bytes past the end of the file read as zeros.
  read(offset: number, length: number): Uint8Array {
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.handle, buf, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buf;
  }

  write(offset: number, data: Uint8Array): void {
    if (this.readonly) throw new Error(`${this.path}: disk is read-only`);
    let done = 0;
    while (done < data.length) done += writeSync(this.handle, data, done, data.length - done, offset + done);
  }

  flush(): void {
    if (!this.readonly) fsyncSync(this.handle);
  }

  close(): void {
    if (this.fd !== undefined) { closeSync(this.fd); this.fd = undefined; }
  }
}
