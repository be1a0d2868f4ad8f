// Decoding: the Cryptographic Extension: AES, SHA1, SHA256 (Arm ARM
// C4.1.95). Group CRYPTO.
import { undef } from "./entry";

export function decodeCryptoAES(insn: u32, e: usize): void { undef(e); }
export function decodeCryptoSha3(insn: u32, e: usize): void { undef(e); }
export function decodeCryptoSha2(insn: u32, e: usize): void { undef(e); }
