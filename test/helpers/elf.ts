import { expect } from "chai";

/** ELF e_machine values (offset 18): the CPU a native binary runs on. */
export const ELF_MACHINE = { x64: 0x3e, arm64: 0xb7 } as const;

export function elfMachine(binary: Buffer): number {
  expect(binary.subarray(0, 4).toString("latin1"), "ELF magic").to.equal("\x7fELF");
  return binary.readUInt16LE(18);
}
