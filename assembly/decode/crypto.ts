// Decoding: the Cryptographic Extension: AES, SHA1, SHA256 (Arm ARM
// C4.1.95). Group CRYPTO. Every form requires size = 00; the unallocated
// opcodes (and SHA512, SHA3, SM3, SM4, which live elsewhere and are not
// implemented) stay UNDEFINED.
import { emit, undef, bits } from "./entry";
import * as O from "./ops";

// Crypto AES: 01001110 size 10100 opcode 10 Rn Rd.
// a = Vd, b = Vn.
export function decodeCryptoAES(insn: u32, e: usize): void {
  let size = bits(insn, 23, 22), opcode = bits(insn, 16, 12);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5);
  if (size != 0) { undef(e); return; }
  switch (opcode) {
    case 4: emit(e, O.OP_CRYPTO_AESE, rd, rn, 0, 0, 0, 0); return;
    case 5: emit(e, O.OP_CRYPTO_AESD, rd, rn, 0, 0, 0, 0); return;
    case 6: emit(e, O.OP_CRYPTO_AESMC, rd, rn, 0, 0, 0, 0); return;
    case 7: emit(e, O.OP_CRYPTO_AESIMC, rd, rn, 0, 0, 0, 0); return;
  }
  undef(e);
}

// Crypto three-register SHA: 01011110 size 0 Rm 0 opcode 00 Rn Rd.
// a = Vd, b = Vn, c = Vm, d = the sub-operation.
export function decodeCryptoSha3(insn: u32, e: usize): void {
  let size = bits(insn, 23, 22), opcode = bits(insn, 14, 12);
  let rd = bits(insn, 4, 0), rn = bits(insn, 9, 5), rm = bits(insn, 20, 16);
  if (size != 0 || opcode == 7) { undef(e); return; }
  // 000 SHA1C, 001 SHA1P, 010 SHA1M, 011 SHA1SU0; 100 SHA256H, 101 SHA256H2, 110 SHA256SU1.
  if (opcode < 4) emit(e, O.OP_CRYPTO_SHA1_3, rd, rn, rm, opcode, 0, 0);
  else emit(e, O.OP_CRYPTO_SHA256_3, rd, rn, rm, opcode - 4, 0, 0);
}

// Crypto two-register SHA: 01011110 size 10100 opcode 10 Rn Rd.
// a = Vd, b = Vn, c = 0 SHA1H, 1 SHA1SU1, 2 SHA256SU0.
export function decodeCryptoSha2(insn: u32, e: usize): void {
  let size = bits(insn, 23, 22), opcode = bits(insn, 16, 12);
  if (size != 0 || opcode > 2) { undef(e); return; }
  emit(e, O.OP_CRYPTO_SHA_2, bits(insn, 4, 0), bits(insn, 9, 5), opcode, 0, 0, 0);
}
